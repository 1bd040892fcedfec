package wechat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// DefaultAPI is WeChat's server API.
const DefaultAPI = "https://api.weixin.qq.com"

// TokenStore keeps the access token where every instance finds it (the
// database): Token returns one still good, or calls fetch — one instance
// at a time — and keeps what it returns; Invalidate drops a token
// WeChat refused.
type TokenStore interface {
	Token(ctx context.Context, appID string, fetch func(context.Context) (string, time.Duration, error)) (string, error)
	Invalidate(ctx context.Context, appID, token string) error
}

// API calls WeChat's server API with the account's access token (the
// seam: tests point BaseURL at a local fake). A call refused with
// errcode 40001, 40014 or 42001 (the token invalid or expired) drops the
// token and is tried once more with a fresh one.
type API struct {
	BaseURL string
	AppID   string
	Secret  string
	Tokens  TokenStore
	Client  *http.Client
}

// Error is WeChat's refusal.
type Error struct {
	Code int    `json:"errcode"`
	Msg  string `json:"errmsg"`
}

// Error tells the refusal's code and message.
func (e *Error) Error() string { return fmt.Sprintf("wechat: errcode %d: %s", e.Code, e.Msg) }

func (a *API) base() string {
	if a.BaseURL != "" {
		return a.BaseURL
	}
	return DefaultAPI
}

func (a *API) client() *http.Client {
	if a.Client != nil {
		return a.Client
	}
	return &http.Client{Timeout: 10 * time.Second}
}

// fetchToken asks WeChat for a new access token.
func (a *API) fetchToken(ctx context.Context) (string, time.Duration, error) {
	q := url.Values{"grant_type": {"client_credential"}, "appid": {a.AppID}, "secret": {a.Secret}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, a.base()+"/cgi-bin/token?"+q.Encode(), nil)
	if err != nil {
		return "", 0, err
	}
	var out struct {
		Error
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := a.do(req, &out); err != nil {
		return "", 0, err
	}
	if out.Code != 0 || out.AccessToken == "" {
		return "", 0, &Error{out.Code, out.Msg}
	}
	return out.AccessToken, time.Duration(out.ExpiresIn) * time.Second, nil
}

func (a *API) do(req *http.Request, out any) error {
	resp, err := a.client().Do(req)
	if err != nil {
		return fmt.Errorf("wechat: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("wechat: HTTP %d", resp.StatusCode)
	}
	return json.Unmarshal(raw, out)
}

// Post posts a JSON body to a path of the API with the access token.
func (a *API) Post(ctx context.Context, path string, body any) error {
	payload, err := json.Marshal(body)
	if err != nil {
		return err
	}
	for try := 0; ; try++ {
		token, err := a.Tokens.Token(ctx, a.AppID, a.fetchToken)
		if err != nil {
			return err
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base()+path+"?access_token="+url.QueryEscape(token), bytes.NewReader(payload))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		var out Error
		if err := a.do(req, &out); err != nil {
			return err
		}
		switch out.Code {
		case 0:
			return nil
		case 40001, 40014, 42001:
			if err := a.Tokens.Invalidate(ctx, a.AppID, token); err != nil {
				return err
			}
			if try == 0 {
				continue
			}
		}
		return &out
	}
}

// MenuButton is a button of the account's menu (a CLICK key or a link).
type MenuButton struct {
	Type      string       `json:"type,omitempty"` // click, view
	Name      string       `json:"name"`
	Key       string       `json:"key,omitempty"`
	URL       string       `json:"url,omitempty"`
	SubButton []MenuButton `json:"sub_button,omitempty"`
}

// CreateMenu publishes the account's menu.
func (a *API) CreateMenu(ctx context.Context, buttons []MenuButton) error {
	return a.Post(ctx, "/cgi-bin/menu/create", map[string]any{"button": buttons})
}

// SendText sends a customer-service text to a follower (within 48 hours
// of their last message).
func (a *API) SendText(ctx context.Context, openID, text string) error {
	return a.Post(ctx, "/cgi-bin/message/custom/send", map[string]any{"touser": openID, "msgtype": "text", "text": map[string]string{"content": text}})
}

// SendTemplate sends a template message (a status notification).
func (a *API) SendTemplate(ctx context.Context, openID, templateID, link string, data map[string]string) error {
	fields := map[string]map[string]string{}
	for k, v := range data {
		fields[k] = map[string]string{"value": v}
	}
	return a.Post(ctx, "/cgi-bin/message/template/send", map[string]any{"touser": openID, "template_id": templateID, "url": link, "data": fields})
}
