package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
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
