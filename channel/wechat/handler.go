package wechat

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"strconv"
	"time"
)

// Message is what WeChat pushes: a citizen's message or an event.
type Message struct {
	ToUserName   string `xml:"ToUserName"`
	FromUserName string `xml:"FromUserName"` // the citizen's openid
	CreateTime   int64  `xml:"CreateTime"`
	MsgType      string `xml:"MsgType"` // text, image, voice, event …
	Content      string `xml:"Content"`
	MsgID        int64  `xml:"MsgId"`
	Event        string `xml:"Event"`    // subscribe, unsubscribe, CLICK …
	EventKey     string `xml:"EventKey"` // the menu button's key
	Encrypt      string `xml:"Encrypt"`  // safe mode: the sealed message
}

// Key is what makes a retry the same message: its MsgId, or for an
// event the sender and its time.
func (m Message) Key() string {
	if m.MsgID != 0 {
		return "msg:" + strconv.FormatInt(m.MsgID, 10)
	}
	return "event:" + m.FromUserName + ":" + strconv.FormatInt(m.CreateTime, 10) + ":" + m.Event + ":" + m.EventKey
}

// Answerer answers a message with a text ("" for none).
type Answerer interface {
	Answer(ctx context.Context, m Message) (string, error)
}

// Replies gives each message one answer: the first delivery computes it,
// a retry (even one arriving while the first is in progress) gets the
// same.
type Replies interface {
	Once(ctx context.Context, key string, answer func() (string, error)) (string, error)
}

// Handler is the account's server URL (/wechat): GET answers WeChat's
// verification with echostr, POST takes messages — plaintext, or safe
// mode (encrypt_type=aes) with Crypter. The signature is checked on
// every request; a bad one is 403 and nothing is done.
type Handler struct {
	Token   string
	Crypter *Crypter // nil: plaintext only
	Answers Answerer
	Replies Replies
	Now     func() time.Time
	// Deadline bounds an answer (WeChat waits 5 s); past it the reply
	// is "success" (nothing shown).
	Deadline time.Duration
	OnError  func(error)
}

type cdata struct {
	Value string `xml:",cdata"`
}

type textReply struct {
	XMLName      xml.Name `xml:"xml"`
	ToUserName   cdata
	FromUserName cdata
	CreateTime   int64
	MsgType      cdata
	Content      cdata
}

type sealedReply struct {
	XMLName      xml.Name `xml:"xml"`
	Encrypt      cdata
	MsgSignature cdata
	TimeStamp    string
	Nonce        cdata
}

// TextReply is a passive text reply to the message's sender.
func TextReply(to, from, content string, at time.Time) []byte {
	b, _ := xml.Marshal(textReply{ToUserName: cdata{to}, FromUserName: cdata{from}, CreateTime: at.Unix(), MsgType: cdata{"text"}, Content: cdata{content}})
	return b
}

// SealReply wraps a reply for the safe mode: encrypted, signed over
// token, timestamp, nonce and the Encrypt field.
func SealReply(c *Crypter, token string, reply []byte, timestamp, nonce string) ([]byte, error) {
	enc, err := c.Encrypt(reply)
	if err != nil {
		return nil, err
	}
	return xml.Marshal(sealedReply{Encrypt: cdata{enc}, MsgSignature: cdata{Signature(token, timestamp, nonce, enc)}, TimeStamp: timestamp, Nonce: cdata{nonce}})
}

func (h *Handler) fail(err error) {
	if h.OnError != nil {
		h.OnError(err)
	}
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	ts, nonce := q.Get("timestamp"), q.Get("nonce")
	if h.Token == "" || !SignatureOK(q.Get("signature"), h.Token, ts, nonce) {
		http.Error(w, "invalid signature", http.StatusForbidden)
		return
	}
	if r.Method == http.MethodGet {
		io.WriteString(w, q.Get("echostr"))
		return
	}
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 64<<10))
	if err != nil {
		http.Error(w, "bad body", http.StatusBadRequest)
		return
	}
	var m Message
	if err := xml.Unmarshal(body, &m); err != nil {
		http.Error(w, "bad xml", http.StatusBadRequest)
		return
	}
	safe := q.Get("encrypt_type") == "aes"
	if safe {
		if h.Crypter == nil || !SignatureOK(q.Get("msg_signature"), h.Token, ts, nonce, m.Encrypt) {
			http.Error(w, "invalid msg_signature", http.StatusForbidden)
			return
		}
		inner, err := h.Crypter.Decrypt(m.Encrypt)
		if err != nil {
			http.Error(w, "cannot decrypt", http.StatusBadRequest)
			return
		}
		m = Message{}
		if err := xml.Unmarshal(inner, &m); err != nil {
			http.Error(w, "bad xml", http.StatusBadRequest)
			return
		}
	}
	deadline := h.Deadline
	if deadline <= 0 {
		deadline = 4 * time.Second
	}
	ctx, cancel := context.WithTimeout(r.Context(), deadline)
	defer cancel()
	answer, err := h.Replies.Once(ctx, m.Key(), func() (string, error) { return h.Answers.Answer(ctx, m) })
	if err != nil {
		h.fail(err)
	}
	if answer == "" {
		io.WriteString(w, "success")
		return
	}
	now := time.Now
	if h.Now != nil {
		now = h.Now
	}
	reply := TextReply(m.FromUserName, m.ToUserName, answer, now())
	if safe {
		if reply, err = SealReply(h.Crypter, h.Token, reply, ts, nonce); err != nil {
			h.fail(err)
			io.WriteString(w, "success")
			return
		}
	}
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Write(reply)
}
