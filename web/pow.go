package web

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"math/bits"
	"strconv"
	"strings"
	"time"

	"hotline"
)

// The portal's proof of work (工作量证明, instead of an image captcha):
// before a code is texted, the browser finds a nonce such that
// SHA-256(challenge ":" nonce) starts with Bits zero bits — a second of
// work for a person, a cost for a script sending thousands. A challenge
// is "expires.random.bits.signature", signed with the database's keyed
// hash (any instance checks what another issued) and good once.

// DefaultPowBits is the work asked unless configured: 16 bits, about
// 65,000 hashes.
const DefaultPowBits = 16

// powTTL is how long a challenge holds.
const powTTL = 10 * time.Minute

func (s *Server) powBits() int {
	if s.PowBits > 0 {
		return s.PowBits
	}
	return DefaultPowBits
}

// newChallenge issues a challenge.
func (s *Server) newChallenge() string {
	b := make([]byte, 12)
	rand.Read(b)
	payload := strconv.FormatInt(s.DB.Now().Add(powTTL).Unix(), 10) + "." + hex.EncodeToString(b) + "." + strconv.Itoa(s.powBits())
	return payload + "." + s.DB.Portal().Sign(payload)[:32]
}

// leadingZeroBits counts the zero bits a hash starts with.
func leadingZeroBits(h [32]byte) int {
	n := 0
	for _, b := range h {
		if b != 0 {
			return n + bits.LeadingZeros8(b)
		}
		n += 8
	}
	return n
}

// checkWork verifies a challenge and its nonce and spends the challenge.
func (s *Server) checkWork(r interface{ FormValue(string) string }, spend func(hash string, expires time.Time) error) error {
	challenge, nonce := r.FormValue("pow_challenge"), r.FormValue("pow_nonce")
	parts := strings.Split(challenge, ".")
	if len(parts) != 4 || nonce == "" || len(nonce) > 20 {
		return hotline.Invalid("pow", "请在浏览器中完成人机验证（需启用 JavaScript）")
	}
	payload := strings.Join(parts[:3], ".")
	if sig := s.DB.Portal().Sign(payload); len(sig) < 32 || sig[:32] != parts[3] {
		return hotline.Invalid("pow", "人机验证无效，请刷新页面重试")
	}
	exp, err1 := strconv.ParseInt(parts[0], 10, 64)
	need, err2 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || time.Unix(exp, 0).Before(s.DB.Now()) {
		return hotline.Invalid("pow", "人机验证已过期，请刷新页面重试")
	}
	sum := sha256.Sum256([]byte(challenge + ":" + nonce))
	if leadingZeroBits(sum) < need {
		return hotline.Invalid("pow", "人机验证未通过，请刷新页面重试")
	}
	h := sha256.Sum256([]byte(challenge))
	return spend(hex.EncodeToString(h[:]), time.Unix(exp, 0))
}
