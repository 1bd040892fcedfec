package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"hotline/channel/wechat"
	"hotline/web"
)

// BenchmarkWeChat_Text: citizens' questions in safe mode over real HTTP
// from 32 concurrent clients, each a new MsgId: signature, decryption, a
// knowledge-base search over 200 published articles, the stored answer,
// the sealed reply; reports messages/s and latency percentiles.
func BenchmarkWeChat_Text(b *testing.B) {
	e := MustServer(b)
	s := e.srv.Config.Handler.(*web.Server)
	c, _ := wechat.NewCrypter(wxKey, wxApp)
	s.WeChat = &wechat.Handler{Token: wxToken, Crypter: c, Answers: s, Replies: e.db.WeChatReplies()}
	topics := []string{"停水", "停电", "噪音", "物业", "公积金", "社保", "医保", "路灯", "垃圾清运", "占道经营"}
	for i := 0; i < 200; i++ {
		var kb struct{ ID int64 }
		t := topics[i%len(topics)]
		e.call("admin", "POST", "/api/v1/kb/articles", map[string]any{"title": fmt.Sprintf("%s问题怎么办（%d）", t, i), "kind": "faq",
			"body": fmt.Sprintf("关于%s的常见问题和办理渠道说明，第%d条。", t, i), "answer": fmt.Sprintf("%s问题请按以下方式办理：第%d条。", t, i)}, 201, &kb)
		e.call("admin", "POST", fmt.Sprintf("/api/v1/kb/articles/%d/publish", kb.ID), nil, 200, nil)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	runLoad(b, "msgs/s", func(i int) error {
		ts, nonce := "1700000000", fmt.Sprint(i)
		enc, _ := c.Encrypt([]byte(wxText(i+1, topics[i%len(topics)]+"了怎么办")))
		q := url.Values{"timestamp": {ts}, "nonce": {nonce}, "signature": {wechat.Signature(wxToken, ts, nonce)}, "encrypt_type": {"aes"},
			"msg_signature": {wechat.Signature(wxToken, ts, nonce, enc)}}
		body := "<xml><ToUserName><![CDATA[gh_px12345]]></ToUserName><Encrypt><![CDATA[" + enc + "]]></Encrypt></xml>"
		resp, err := client.Post(e.srv.URL+"/wechat?"+q.Encode(), "text/xml", strings.NewReader(body))
		if err != nil {
			return err
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(raw), "<Encrypt>") {
			return fmt.Errorf("status %d: %.100s", resp.StatusCode, raw)
		}
		return nil
	})
}
