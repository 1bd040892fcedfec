// Package sms is the SMS gateway seam (短信): the messages the hotline
// sends citizens — verification codes, acceptance receipts, the reply at
// conclusion, the rating request — and the citizens' rating replies
// (回复1满意 2基本满意 3不满意). A Gateway sends one message; HTTP posts
// it, signed, to the operator's SMS provider; File appends it to a local
// file (the demo and tests), the phone masked.
package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline"
)

// Message kinds.
const (
	KindCode       = "code"       // a verification code
	KindReceipt    = "receipt"    // the appeal was accepted, with its number
	KindConclusion = "conclusion" // concluded, with the reply's summary
	KindRating     = "rating"     // please rate (reply 1, 2 or 3)
)

// Message is a text to one phone.
type Message struct {
	Phone string `json:"phone"`
	Kind  string `json:"kind"`
	Text  string `json:"text"`
}

// Gateway sends a message and returns the provider's reference for it.
type Gateway interface {
	Send(ctx context.Context, m Message) (string, error)
}

// File is a gateway that appends each message as a JSON line to a file,
// the phone masked (the demo reads its codes there; nothing leaves the
// machine).
type File struct {
	Path string
	mu   sync.Mutex
	n    int
}

var _ Gateway = (*File)(nil)

// Send appends the message.
func (f *File) Send(_ context.Context, m Message) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out, err := os.OpenFile(f.Path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	defer out.Close()
	f.n++
	ref := fmt.Sprintf("file-%d-%d", time.Now().UnixNano(), f.n)
	line, _ := json.Marshal(map[string]string{"ref": ref, "phone": hotline.MaskPhone(m.Phone), "kind": m.Kind, "text": m.Text})
	_, err = out.Write(append(line, '\n'))
	return ref, err
}

// HTTP is a gateway that posts {"phone","kind","text","timestamp"} as
// JSON to URL, signed: X-Hotline-Signature is the hex HMAC-SHA256 of the
// body under Secret. A 2xx answer with {"id"} is sent; anything else is
// an error (the message is logged as failed).
type HTTP struct {
	URL    string
	Secret string
	Client *http.Client
	Now    func() time.Time
}

var _ Gateway = (*HTTP)(nil)

// Send posts the message.
func (h *HTTP) Send(ctx context.Context, m Message) (string, error) {
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	body, _ := json.Marshal(map[string]string{"phone": m.Phone, "kind": m.Kind, "text": m.Text, "timestamp": strconv.FormatInt(now().Unix(), 10)})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hotline-Signature", Sign(h.Secret, body))
	c := h.Client
	if c == nil {
		c = &http.Client{Timeout: 10 * time.Second}
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", fmt.Errorf("sms gateway: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return "", fmt.Errorf("sms gateway: HTTP %d", resp.StatusCode)
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || out.ID == "" {
		return "", fmt.Errorf("sms gateway: no message id in the answer")
	}
	return out.ID, nil
}

// Sign is the hex HMAC-SHA256 of body under secret (outbound messages
// and the provider's inbound replies alike).
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Verify reports whether sig is body's signature under secret.
func Verify(secret string, body []byte, sig string) bool {
	want, err := hex.DecodeString(sig)
	if err != nil || secret == "" {
		return false
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}

// The texts, signed with the hotline's name as Chinese SMS must be.
const sign = "【萍乡12345】"

// CodeText is a verification code's message.
func CodeText(code string) string {
	return fmt.Sprintf("%s您的验证码是%s，10分钟内有效。如非本人操作，请忽略本短信。", sign, code)
}

// ReceiptText tells the citizen their appeal's number.
func ReceiptText(number string) string {
	return fmt.Sprintf("%s您的诉求已受理，工单编号%s。可凭编号和手机号在网上查询办理进度。", sign, number)
}

// ConclusionText tells the citizen the reply (at most 60 characters of
// it).
func ConclusionText(number, reply string) string {
	r := []rune(strings.TrimSpace(reply))
	if len(r) > 60 {
		r = append(r[:60], '…')
	}
	return fmt.Sprintf("%s您的诉求（工单%s）已办结：%s", sign, number, string(r))
}

// RatingText asks for a rating by reply.
func RatingText(number string) string {
	return fmt.Sprintf("%s请评价工单%s的办理结果：回复1满意，2基本满意，3不满意。", sign, number)
}

// ParseRating reads a rating reply: 1, 2 or 3 (or the words), with any
// spaces and punctuation around; false for anything else.
func ParseRating(text string) (hotline.Rating, bool) {
	t := strings.Trim(strings.TrimSpace(text), "。.!！ ")
	switch t {
	case "1", "１", "满意":
		return hotline.Satisfied, true
	case "2", "２", "基本满意":
		return hotline.BasicallySatisfied, true
	case "3", "３", "不满意":
		return hotline.Unsatisfied, true
	}
	return "", false
}
