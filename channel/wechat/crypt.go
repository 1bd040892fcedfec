// Package wechat is the WeChat official account channel (微信公众号):
// the server's signature check on every request, the safe mode's
// message encryption (安全模式), and — in later files — the messages,
// menu and notifications. The WeChat servers are the seam: tests run
// against the published vectors and a local fake.
package wechat

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Signature is the hex SHA-1 of the parts sorted and joined: the URL's
// signature over token, timestamp and nonce; the safe mode's
// msg_signature over those and the Encrypt field.
func Signature(parts ...string) string {
	p := append([]string(nil), parts...)
	sort.Strings(p)
	sum := sha1.Sum([]byte(strings.Join(p, "")))
	return hex.EncodeToString(sum[:])
}

// SignatureOK compares a signature in constant time.
func SignatureOK(sig string, parts ...string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.ToLower(sig)), []byte(Signature(parts...))) == 1
}

// blockSize is the safe mode's PKCS#7 block (32 bytes, not AES's 16).
const blockSize = 32

// Crypter encrypts and decrypts the safe mode's messages: AES-256-CBC
// with the key from the 43-character EncodingAESKey + "=", the IV the
// key's first 16 bytes, PKCS#7 padding to 32 bytes; the plaintext is 16
// random bytes ‖ the message's length (4 bytes, big-endian) ‖ the message
// ‖ the AppID, which decryption checks.
type Crypter struct {
	AppID  string
	key    []byte
	Random io.Reader // crypto/rand unless set (tests set it to compare replies byte for byte)
}

// NewCrypter checks the EncodingAESKey and returns a crypter.
func NewCrypter(encodingAESKey, appID string) (*Crypter, error) {
	if len(encodingAESKey) != 43 {
		return nil, errors.New("wechat: the EncodingAESKey must be 43 characters")
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, errors.New("wechat: the EncodingAESKey is not valid base64 of 32 bytes")
	}
	if appID == "" {
		return nil, errors.New("wechat: no AppID")
	}
	return &Crypter{AppID: appID, key: key}, nil
}

// Encrypt seals a message for the Encrypt field (base64).
func (c *Crypter) Encrypt(msg []byte) (string, error) {
	random := c.Random
	if random == nil {
		random = rand.Reader
	}
	var buf bytes.Buffer
	head := make([]byte, 16)
	if _, err := io.ReadFull(random, head); err != nil {
		return "", err
	}
	buf.Write(head)
	binary.Write(&buf, binary.BigEndian, uint32(len(msg)))
	buf.Write(msg)
	buf.WriteString(c.AppID)
	pad := blockSize - buf.Len()%blockSize
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return "", err
	}
	out := make([]byte, buf.Len())
	cipher.NewCBCEncrypter(block, c.key[:16]).CryptBlocks(out, buf.Bytes())
	return base64.StdEncoding.EncodeToString(out), nil
}

// Decrypt opens an Encrypt field and returns the message, refusing bad
// padding, a bad length or another AppID.
func (c *Crypter) Decrypt(encrypted string) ([]byte, error) {
	raw, err := base64.StdEncoding.DecodeString(encrypted)
	if err != nil || len(raw) == 0 || len(raw)%aes.BlockSize != 0 {
		return nil, errors.New("wechat: the Encrypt field is not valid")
	}
	block, err := aes.NewCipher(c.key)
	if err != nil {
		return nil, err
	}
	plain := make([]byte, len(raw))
	cipher.NewCBCDecrypter(block, c.key[:16]).CryptBlocks(plain, raw)
	pad := int(plain[len(plain)-1])
	if pad < 1 || pad > blockSize || pad > len(plain) {
		return nil, errors.New("wechat: bad padding")
	}
	plain = plain[:len(plain)-pad]
	if len(plain) < 20 {
		return nil, errors.New("wechat: the message is too short")
	}
	n := int(binary.BigEndian.Uint32(plain[16:20]))
	if n < 0 || 20+n > len(plain) {
		return nil, errors.New("wechat: bad message length")
	}
	if app := string(plain[20+n:]); app != c.AppID {
		return nil, fmt.Errorf("wechat: the message is for AppID %q", app)
	}
	return plain[20 : 20+n], nil
}
