package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"hotline/channel/wechat"
)

// TestWeChat_API against a local fake of WeChat's API: two instances
// share one access token (fetched once, kept sealed in the database); a
// token WeChat calls invalid (errcode 40001) is dropped, fetched again and
// the call retried once; a refusal of another kind is returned.
func TestWeChat_API(t *testing.T) {
	e := MustServer(t)
	var fetches atomic.Int32
	var mu sync.Mutex
	valid := map[string]bool{}
	var menus []string
	refuse := ""
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/cgi-bin/token":
			if r.URL.Query().Get("secret") != "s3cret" {
				json.NewEncoder(w).Encode(map[string]any{"errcode": 40125, "errmsg": "invalid appsecret"})
				return
			}
			tok := fmt.Sprintf("TOKEN-%d", fetches.Add(1))
			valid[tok] = true
			json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "expires_in": 7200})
		case "/cgi-bin/menu/create":
			tok := r.URL.Query().Get("access_token")
			if !valid[tok] {
				json.NewEncoder(w).Encode(map[string]any{"errcode": 40001, "errmsg": "invalid credential"})
				return
			}
			if refuse != "" {
				json.NewEncoder(w).Encode(map[string]any{"errcode": 40016, "errmsg": refuse})
				return
			}
			var body struct{ Button []wechat.MenuButton }
			json.NewDecoder(r.Body).Decode(&body)
			menus = append(menus, body.Button[0].Name)
			json.NewEncoder(w).Encode(map[string]any{"errcode": 0, "errmsg": "ok"})
		default:
			http.NotFound(w, r)
		}
	}))
	defer fake.Close()
	ctx := context.Background()
	api := func() *wechat.API {
		return &wechat.API{BaseURL: fake.URL, AppID: "wxdemo", Secret: "s3cret", Tokens: e.db.WeChatTokens()}
	}
	menu := []wechat.MenuButton{{Type: "click", Name: "我要反映", Key: "appeal"}, {Type: "click", Name: "进度查询", Key: "query"}}
	for i := 0; i < 3; i++ {
		if err := api().CreateMenu(ctx, menu); err != nil {
			t.Fatal(err)
		}
	}
	if fetches.Load() != 1 || len(menus) != 3 {
		t.Fatalf("%d token fetches for 3 calls on two instances, %d menus", fetches.Load(), len(menus))
	}
	// WeChat drops the token (as when another party fetched a new one).
	mu.Lock()
	valid = map[string]bool{}
	mu.Unlock()
	if err := api().CreateMenu(ctx, menu); err != nil {
		t.Fatalf("after 40001: %v", err)
	}
	if fetches.Load() != 2 || len(menus) != 4 {
		t.Errorf("after 40001: %d fetches, %d menus", fetches.Load(), len(menus))
	}
	mu.Lock()
	refuse = "invalid button name size"
	mu.Unlock()
	if err := api().CreateMenu(ctx, menu); err == nil || !strings.Contains(err.Error(), "40016") {
		t.Errorf("a refused menu: %v", err)
	}
	if n := e.countRows(t, "wechat_tokens"); n != 1 {
		t.Errorf("%d tokens kept", n)
	}
	db, err := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var sealed string
	db.QueryRow(`SELECT token FROM wechat_tokens`).Scan(&sealed)
	if sealed == "" || strings.Contains(sealed, "TOKEN-") {
		t.Errorf("the token is kept as %q", sealed)
	}
	bad := &wechat.API{BaseURL: fake.URL, AppID: "wxother", Secret: "wrong", Tokens: e.db.WeChatTokens()}
	if err := bad.CreateMenu(ctx, menu); err == nil || !strings.Contains(err.Error(), "40125") {
		t.Errorf("a wrong secret: %v", err)
	}
}

// TestWeChat_Account: the account's menu saved as a version and
// published through the API (the fake WeChat gets it), a malformed menu
// refused and left a draft, an article registered; the month counts the
// two published updates (the assessment's figure); an agent may not edit.
func TestWeChat_Account(t *testing.T) {
	e := MustServer(t)
	var got []string
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/cgi-bin/token" {
			json.NewEncoder(w).Encode(map[string]any{"access_token": "T1", "expires_in": 7200})
			return
		}
		var body struct{ Button []wechat.MenuButton }
		json.NewDecoder(r.Body).Decode(&body)
		for _, b := range body.Button {
			got = append(got, b.Name)
		}
		json.NewEncoder(w).Encode(map[string]any{"errcode": 0})
	}))
	defer fake.Close()
	s := e.server
	s.WeChatAPI = &wechat.API{BaseURL: fake.URL, AppID: "wxdemo", Secret: "x", Tokens: e.db.WeChatTokens()}
	e.addUser("pm", "project_manager", 0)
	c, csrf := loggedIn(t, e, "pm")
	save := func(kind, title, body string) {
		t.Helper()
		if code, loc := postForm(t, c, e.srv.URL+"/wechat/account", url.Values{"csrf_token": {csrf}, "kind": {kind}, "title": {title}, "body": {body}}); code != 303 {
			t.Fatalf("save %s: %d %s", kind, code, loc)
		}
	}
	save("menu", "公众号菜单", `[{"type":"click","name":"我要反映","key":"appeal"}]`)
	save("menu", "坏菜单", `not json`)
	save("article", "医保报销政策解读", "新政策自下月起执行。")
	var list struct {
		Items []struct {
			ID           int64
			Kind, Status string
			Version      int
		}
		Updates int
	}
	e.call("pm", "GET", "/api/v1/wechat/contents", nil, 200, &list)
	if len(list.Items) != 3 || list.Updates != 0 {
		t.Fatalf("contents %+v", list)
	}
	publish := func(id int64) int {
		code, _ := postForm(t, c, e.srv.URL+"/wechat/account", url.Values{"csrf_token": {csrf}, "action": {"publish"}, "id": {fmt.Sprint(id)}})
		return code
	}
	for _, it := range list.Items {
		want := 303
		if it.Kind == "menu" && it.Version == 1 && it.ID == list.Items[1].ID {
			want = 400 // the malformed menu
		}
		if code := publish(it.ID); code != want {
			t.Errorf("publish %s %d: %d, want %d", it.Kind, it.ID, code, want)
		}
	}
	e.call("pm", "GET", "/api/v1/wechat/contents", nil, 200, &list)
	if list.Updates != 2 || len(got) != 1 || got[0] != "我要反映" {
		t.Errorf("after publishing: %d updates, menus sent %v", list.Updates, got)
	}
	e.call("agent", "GET", "/api/v1/wechat/contents", nil, 403, nil)
}
