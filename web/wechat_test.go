package web_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline/channel/wechat"
	"hotline/web"
)

const (
	wxToken = "hotline-token"
	wxKey   = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
	wxApp   = "wx2c2769f8efd9abc2"
)

// wxPost posts a message to /wechat, signed (and in safe mode sealed).
func wxPost(t *testing.T, base string, c *wechat.Crypter, msg, sig string) (int, string) {
	t.Helper()
	ts, nonce := "1700000000", "42"
	q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {wechat.Signature(wxToken, ts, nonce)}}
	if sig != "" {
		q.Set("signature", sig)
	}
	body := msg
	if c != nil {
		enc, err := c.Encrypt([]byte(msg))
		if err != nil {
			t.Fatal(err)
		}
		body = "<xml><ToUserName><![CDATA[gh_px12345]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		q.Set("encrypt_type", "aes")
		q.Set("msg_signature", wechat.Signature(wxToken, ts, nonce, enc))
		if sig == "bad-msg" {
			q.Set("signature", wechat.Signature(wxToken, ts, nonce))
			q.Set("msg_signature", strings.Repeat("0", 40))
		}
	}
	resp, err := http.Post(base+"/wechat?"+q.Encode(), "text/xml", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func wxText(id int, content string) string {
	return fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_px12345]]></ToUserName><FromUserName><![CDATA[oCitizen01]]></FromUserName>`+
		`<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[%s]]></Content><MsgId>%d</MsgId></xml>`, content, id)
}

// TestWeChat_HTTP: the server URL's verification (echostr) and a bad
// signature refused (403); a question in plaintext answered from the
// knowledge base with the portal link, its retry answered the same
// (one stored answer); the same in safe mode, the reply decrypted with
// the account's key and its msg_signature checked; a bad msg_signature
// refused with nothing stored; the welcome and the menu.
func TestWeChat_HTTP(t *testing.T) {
	e := MustServer(t)
	s := e.srv.Config.Handler.(*web.Server)
	c, err := wechat.NewCrypter(wxKey, wxApp)
	if err != nil {
		t.Fatal(err)
	}
	s.PublicURL = "https://12345.example.cn"
	s.WeChat = &wechat.Handler{Token: wxToken, Crypter: c, Answers: s, Replies: e.db.WeChatReplies(), Now: func() time.Time { return time.Unix(1700000001, 0) }}
	var kb struct{ ID int64 }
	e.call("admin", "POST", "/api/v1/kb/articles", map[string]any{"title": "停水了怎么查询原因", "kind": "faq",
		"body": "计划停水会提前通知；突发停水可拨打水务公司热线查询抢修进度。", "answer": "停水可拨打水务公司24小时热线查询抢修进度。"}, 201, &kb)
	e.call("admin", "POST", fmt.Sprintf("/api/v1/kb/articles/%d/publish", kb.ID), nil, 200, nil)

	ts, nonce := "1700000000", "7"
	v := url.Values{"timestamp": {ts}, "nonce": {nonce}, "echostr": {"e12345"}, "signature": {wechat.Signature(wxToken, ts, nonce)}}
	if code, body := get(t, http.DefaultClient, e.srv.URL+"/wechat?"+v.Encode()); code != 200 || body != "e12345" {
		t.Fatalf("verification: %d %q", code, body)
	}
	v.Set("signature", strings.Repeat("a", 40))
	if code, _ := get(t, http.DefaultClient, e.srv.URL+"/wechat?"+v.Encode()); code != 403 {
		t.Errorf("a bad signature: %d", code)
	}

	code, first := wxPost(t, e.srv.URL, nil, wxText(1001, "停水了怎么查"), "")
	var reply struct {
		ToUserName, FromUserName, MsgType, Content string
	}
	xml.Unmarshal([]byte(first), &reply)
	if code != 200 || reply.ToUserName != "oCitizen01" || reply.MsgType != "text" || !strings.Contains(reply.Content, "水务公司24小时热线") ||
		!strings.Contains(reply.Content, "https://12345.example.cn/portal/appeal?content=") {
		t.Fatalf("plaintext answer %d: %s", code, first)
	}
	if _, again := wxPost(t, e.srv.URL, nil, wxText(1001, "停水了怎么查"), ""); again != first {
		t.Errorf("the retry's answer differs:\n%s\n%s", again, first)
	}
	if n := e.countRows(t, "wechat_replies"); n != 1 {
		t.Errorf("%d answers stored for one message", n)
	}
	if code, _ := wxPost(t, e.srv.URL, nil, wxText(1002, "x"), strings.Repeat("b", 40)); code != 403 || e.countRows(t, "wechat_replies") != 1 {
		t.Errorf("a bad signature: %d", code)
	}

	code, sealed := wxPost(t, e.srv.URL, c, wxText(1003, "停水了怎么查"), "")
	var env struct{ Encrypt, MsgSignature, TimeStamp, Nonce string }
	xml.Unmarshal([]byte(sealed), &env)
	if code != 200 || !wechat.SignatureOK(env.MsgSignature, wxToken, env.TimeStamp, env.Nonce, env.Encrypt) {
		t.Fatalf("safe-mode reply %d: %s", code, sealed)
	}
	inner, err := c.Decrypt(env.Encrypt)
	if err != nil {
		t.Fatal(err)
	}
	xml.Unmarshal(inner, &reply)
	if !strings.Contains(reply.Content, "水务公司24小时热线") {
		t.Errorf("safe-mode answer: %s", inner)
	}
	if code, _ := wxPost(t, e.srv.URL, c, wxText(1004, "停水"), "bad-msg"); code != 403 || e.countRows(t, "wechat_replies") != 2 {
		t.Errorf("a bad msg_signature: %d", code)
	}

	event := func(ev, key string) string {
		_, b := wxPost(t, e.srv.URL, nil, fmt.Sprintf(`<xml><ToUserName><![CDATA[gh_px12345]]></ToUserName><FromUserName><![CDATA[oCitizen02]]></FromUserName>`+
			`<CreateTime>%d</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[%s]]></Event><EventKey><![CDATA[%s]]></EventKey></xml>`,
			time.Now().UnixNano(), ev, key), "")
		xml.Unmarshal([]byte(b), &reply)
		return reply.Content
	}
	if got := event("subscribe", ""); !strings.Contains(got, "欢迎关注") {
		t.Errorf("welcome: %q", got)
	}
	if got := event("CLICK", web.MenuQuery); !strings.Contains(got, "https://12345.example.cn/portal/query") {
		t.Errorf("menu 进度查询: %q", got)
	}
	if got := event("CLICK", web.MenuFAQ); !strings.Contains(got, "停水了怎么查询原因") {
		t.Errorf("menu 常见问题: %q", got)
	}
}
