// Package keyring encrypts personal data at rest. A master key (from the
// environment or a key file, never stored in the database) wraps data keys
// that are stored in the database; field values are sealed with an AEAD
// under the active data key, and phone numbers get a keyed blind index so
// that equal numbers can be found without decrypting. AES-256-GCM is the
// default; SM4-GCM with SM3 (GB/T 32907, GB/T 32905) serves deployments
// that must use the national-standard algorithms.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"

	"github.com/emmansun/gmsm/sm3"
	"github.com/emmansun/gmsm/sm4"
)

// Algorithm names a cipher suite.
type Algorithm string

// Cipher suites.
const (
	AES256GCM Algorithm = "aes-256-gcm" // AES-256-GCM, HMAC-SHA-256
	SM4GCM    Algorithm = "sm4-gcm"     // SM4-GCM, HMAC-SM3
)

// Key purposes.
const (
	PurposeData  = "data"  // seals field values; rotated
	PurposeIndex = "index" // keys the blind index; kept, since rotating it means rehashing every row
)

// Valid reports whether a is a known suite.
func (a Algorithm) Valid() bool { return a == AES256GCM || a == SM4GCM }

func (a Algorithm) keyLen() int {
	if a == SM4GCM {
		return 16
	}
	return 32
}

func (a Algorithm) aead(key []byte) (cipher.AEAD, error) {
	var b cipher.Block
	var err error
	if a == SM4GCM {
		b, err = sm4.NewCipher(key)
	} else {
		b, err = aes.NewCipher(key)
	}
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

func (a Algorithm) hash() func() hash.Hash {
	if a == SM4GCM {
		return sm3.New
	}
	return sha256.New
}

// MasterKeyLen is the length of a master key in bytes.
const MasterKeyLen = 32

// GenerateMasterKey returns a new random master key, base64-encoded.
func GenerateMasterKey() string {
	b := make([]byte, MasterKeyLen)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// ParseMasterKey reads a master key written as base64 or hex.
func ParseMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == MasterKeyLen {
		return b, nil
	}
	if b, err := hex.DecodeString(s); err == nil && len(b) == MasterKeyLen {
		return b, nil
	}
	return nil, fmt.Errorf("master key must be %d bytes in base64 or hex", MasterKeyLen)
}

// Wrapped is a data or index key as stored: encrypted under the master key.
type Wrapped struct {
	ID        int64
	Purpose   string
	Algorithm Algorithm
	Key       []byte // nonce ‖ ciphertext
	Active    bool
}

// Keyring holds the unwrapped keys of one process.
type Keyring struct {
	alg  Algorithm
	wrap cipher.AEAD // under the master key

	mu     sync.RWMutex
	data   map[int64]cipher.AEAD
	active int64
	index  []byte
}

// New returns an empty keyring for the master key; Load adds the stored keys.
func New(master []byte, alg Algorithm) (*Keyring, error) {
	if !alg.Valid() {
		return nil, fmt.Errorf("unknown cipher %q (want %s or %s)", alg, AES256GCM, SM4GCM)
	}
	if len(master) != MasterKeyLen {
		return nil, fmt.Errorf("master key must be %d bytes", MasterKeyLen)
	}
	// The wrapping key is derived, so one master key serves either suite.
	mac := hmac.New(alg.hash(), master)
	mac.Write([]byte("hotline key wrapping"))
	w, err := alg.aead(mac.Sum(nil)[:alg.keyLen()])
	if err != nil {
		return nil, err
	}
	return &Keyring{alg: alg, wrap: w, data: map[int64]cipher.AEAD{}}, nil
}

// Algorithm returns the suite new keys use.
func (k *Keyring) Algorithm() Algorithm { return k.alg }

// NewKey makes a random key for purpose, wrapped under the master key. The
// caller stores it and then Loads it (with the id storage gave it).
func (k *Keyring) NewKey(purpose string) (Wrapped, error) {
	raw := make([]byte, k.alg.keyLen())
	if purpose == PurposeIndex {
		raw = make([]byte, 32)
	}
	if _, err := rand.Read(raw); err != nil {
		return Wrapped{}, err
	}
	nonce := make([]byte, k.wrap.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return Wrapped{}, err
	}
	return Wrapped{Purpose: purpose, Algorithm: k.alg, Key: k.wrap.Seal(nonce, nonce, raw, []byte(purpose)), Active: true}, nil
}

// ErrWrongMasterKey means stored keys cannot be unwrapped: the master key is
// not the one they were made with.
var ErrWrongMasterKey = errors.New("stored keys cannot be unwrapped with this master key (wrong HOTLINE_MASTER_KEY or key file?)")

// Load unwraps stored keys; the active data key with the highest id seals.
func (k *Keyring) Load(keys []Wrapped) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, w := range keys {
		if w.Algorithm != k.alg {
			return fmt.Errorf("stored key %d uses %s but the configured cipher is %s", w.ID, w.Algorithm, k.alg)
		}
		n := k.wrap.NonceSize()
		if len(w.Key) < n {
			return ErrWrongMasterKey
		}
		raw, err := k.wrap.Open(nil, w.Key[:n], w.Key[n:], []byte(w.Purpose))
		if err != nil {
			return ErrWrongMasterKey
		}
		switch w.Purpose {
		case PurposeIndex:
			k.index = raw
		case PurposeData:
			a, err := w.Algorithm.aead(raw)
			if err != nil {
				return err
			}
			k.data[w.ID] = a
			if w.Active && w.ID > k.active {
				k.active = w.ID
			}
		}
	}
	return nil
}

// ActiveKeyID returns the id of the data key new values are sealed with.
func (k *Keyring) ActiveKeyID() int64 {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.active
}

// Encrypt seals a field value as "v1.KEYID.BASE64(nonce‖ciphertext)". The
// field name is bound in as associated data, so a value cannot be moved to
// another column unnoticed. The empty string stays empty.
func (k *Keyring) Encrypt(field, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	k.mu.RLock()
	id, a := k.active, k.data[k.active]
	k.mu.RUnlock()
	if a == nil {
		return "", errors.New("keyring has no active data key")
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	ct := a.Seal(nonce, nonce, []byte(plain), []byte(field))
	return "v1." + strconv.FormatInt(id, 10) + "." + base64.RawStdEncoding.EncodeToString(ct), nil
}

// KeyID returns the data key id a sealed value names (0 if malformed).
func KeyID(sealed string) int64 {
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return 0
	}
	id, _ := strconv.ParseInt(parts[1], 10, 64)
	return id
}

// ErrUnknownKey means a value was sealed with a data key this keyring has
// not loaded (e.g. made by another instance since); reload and retry.
var ErrUnknownKey = errors.New("value sealed with an unknown data key")

// Decrypt opens a value sealed by Encrypt for the same field.
func (k *Keyring) Decrypt(field, sealed string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	parts := strings.SplitN(sealed, ".", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return "", errors.New("malformed sealed value")
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || strconv.FormatInt(id, 10) != parts[1] {
		return "", errors.New("malformed sealed value")
	}
	k.mu.RLock()
	a := k.data[id]
	k.mu.RUnlock()
	if a == nil {
		return "", ErrUnknownKey
	}
	ct, err := base64.RawStdEncoding.Strict().DecodeString(parts[2])
	if err != nil || len(ct) < a.NonceSize() {
		return "", errors.New("malformed sealed value")
	}
	n := a.NonceSize()
	plain, err := a.Open(nil, ct[:n], ct[n:], []byte(field))
	if err != nil {
		return "", errors.New("sealed value fails authentication (altered, or moved from another field)")
	}
	return string(plain), nil
}

// BlindIndex returns a keyed hash of s (HMAC under the index key), hex, for
// equality lookups. The empty string maps to empty.
func (k *Keyring) BlindIndex(s string) string {
	if s == "" {
		return ""
	}
	k.mu.RLock()
	key := k.index
	k.mu.RUnlock()
	if key == nil {
		panic("keyring: no index key loaded")
	}
	mac := hmac.New(k.alg.hash(), key)
	mac.Write([]byte(s))
	return hex.EncodeToString(mac.Sum(nil))
}

// HasIndexKey reports whether an index key is loaded.
func (k *Keyring) HasIndexKey() bool {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.index != nil
}

// HashFunc returns the hash for an audit chain: "sha256" (or "") or "sm3".
func HashFunc(name string) (func() hash.Hash, error) {
	switch name {
	case "", "sha256":
		return sha256.New, nil
	case "sm3":
		return sm3.New, nil
	}
	return nil, fmt.Errorf("unknown audit hash %q (want sha256 or sm3)", name)
}

// EncryptBytes seals a blob (a file) under the active data key as
// KEYID (8 bytes, big-endian) ‖ nonce ‖ ciphertext, field bound in as
// associated data like Encrypt.
func (k *Keyring) EncryptBytes(field string, plain []byte) ([]byte, error) {
	k.mu.RLock()
	id, a := k.active, k.data[k.active]
	k.mu.RUnlock()
	if a == nil {
		return nil, errors.New("keyring has no active data key")
	}
	out := make([]byte, 8+a.NonceSize(), 8+a.NonceSize()+len(plain)+a.Overhead())
	binary.BigEndian.PutUint64(out, uint64(id))
	if _, err := rand.Read(out[8:]); err != nil {
		return nil, err
	}
	return a.Seal(out, out[8:], plain, []byte(field)), nil
}

// BlobKeyID returns the data key id a blob sealed by EncryptBytes names.
func BlobKeyID(sealed []byte) int64 {
	if len(sealed) < 8 {
		return 0
	}
	return int64(binary.BigEndian.Uint64(sealed))
}

// DecryptBytes opens a blob sealed by EncryptBytes for the same field.
func (k *Keyring) DecryptBytes(field string, sealed []byte) ([]byte, error) {
	id := BlobKeyID(sealed)
	k.mu.RLock()
	a := k.data[id]
	k.mu.RUnlock()
	if len(sealed) < 8 {
		return nil, errors.New("malformed sealed blob")
	} else if a == nil {
		return nil, ErrUnknownKey
	}
	n := a.NonceSize()
	if len(sealed) < 8+n+a.Overhead() {
		return nil, errors.New("malformed sealed blob")
	}
	plain, err := a.Open(nil, sealed[8:8+n], sealed[8+n:], []byte(field))
	if err != nil {
		return nil, errors.New("sealed blob fails authentication (altered, or moved from another field)")
	}
	return plain, nil
}
