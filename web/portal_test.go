package web_test

import (
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/bits"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"hotline"
	"hotline/channel/sms"
	"hotline/sqldb"
	"hotline/web"
)

// portalEnv is a server whose texts go to a file the test reads.
type portalEnv struct {
	*env
	outbox string
}

func mustPortal(t testing.TB, dialect string, perMinute int) *portalEnv {
	e := MustServerOn(t, dialect)
	s := e.srv.Config.Handler.(*web.Server)
	p := &portalEnv{env: e, outbox: filepath.Join(t.TempDir(), "sms.jsonl")}
	s.SecureCookies, s.SMS, s.PowBits, s.PortalPerMinute = false, &sms.File{Path: p.outbox}, 8, perMinute
	e.db.PortalLimits = sqldb.DefaultPortalLimits
	e.db.PortalLimits.CodeInterval = 0 // a citizen files, then follows at once
	return p
}

var challengeRE = regexp.MustCompile(`data-challenge="([^"]+)"`)

// countRows counts a table's rows straight from the database.
func (e *env) countRows(t *testing.T, table string) int {
	t.Helper()
	raw, err := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[strings.HasPrefix(e.dsn, "postgres")], e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// solve does the browser's proof of work.
func solve(challenge string) string {
	parts := strings.Split(challenge, ".")
	need, _ := strconv.Atoi(parts[2])
	for n := 0; ; n++ {
		h := sha256.Sum256([]byte(challenge + ":" + strconv.Itoa(n)))
		z := 0
		for _, b := range h {
			if b != 0 {
				z += bits.LeadingZeros8(b)
				break
			}
			z += 8
		}
		if z >= need {
			return strconv.Itoa(n)
		}
	}
}

// code asks for a code for the phone (the page's challenge solved) and
// reads it from the outbox.
func (p *portalEnv) code(t *testing.T, c *http.Client, page, phone, purpose string) (int, string) {
	t.Helper()
	_, body := get(t, c, p.srv.URL+page)
	m := challengeRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no challenge on %s", page)
	}
	ch := strings.ReplaceAll(m[1], "&#43;", "+")
	resp, err := c.PostForm(p.srv.URL+"/portal/code", url.Values{"phone": {phone}, "purpose": {purpose}, "pow_challenge": {ch}, "pow_nonce": {solve(ch)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	raw, _ := os.ReadFile(p.outbox)
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	var last struct{ Phone, Kind, Text string }
	json.Unmarshal([]byte(lines[len(lines)-1]), &last)
	return resp.StatusCode, regexp.MustCompile(`\d{6}`).FindString(last.Text)
}

// postAppeal posts the appeal form with a photo.
func (p *portalEnv) postAppeal(t *testing.T, c *http.Client, fields map[string]string, photoData []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if photoData != nil {
		w, _ := mw.CreateFormFile("file", "路灯.png")
		w.Write(photoData)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", p.srv.URL+"/portal/appeal", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 303 {
		return 303, resp.Header.Get("Location")
	}
	return resp.StatusCode, string(b)
}

// TestPortal_HTTP: a citizen asks for a code (the proof of work solved;
// the same challenge twice refused), files an appeal with a photo — a
// missing title first: 400 naming it, nothing stored —, gets its number
// by page and by text, and it waits in the centre's 待提交 on the web
// channel with the photo; the text log has no phone in plaintext; the
// per-address limit answers 429.
func TestPortal_HTTP(t *testing.T) {
	p := mustPortal(t, "sqlite", 0)
	c := browser(t)
	const phone = "13907991234"
	status, code := p.code(t, c, "/portal/appeal", phone, "submit")
	if status != 200 || len(code) != 6 {
		t.Fatalf("code: %d %q", status, code)
	}
	_, body := get(t, c, p.srv.URL+"/portal/appeal")
	ch := strings.ReplaceAll(challengeRE.FindStringSubmatch(body)[1], "&#43;", "+")
	nonce := solve(ch)
	form := url.Values{"phone": {"13907995678"}, "purpose": {"submit"}, "pow_challenge": {ch}, "pow_nonce": {nonce}}
	if resp, _ := c.PostForm(p.srv.URL+"/portal/code", form); resp.StatusCode != 200 {
		t.Fatalf("a fresh challenge: %d", resp.StatusCode)
	}
	resp, _ := c.PostForm(p.srv.URL+"/portal/code", form)
	var bad apiError
	json.NewDecoder(resp.Body).Decode(&bad)
	if resp.StatusCode != 400 || bad.Error.Field != "pow" {
		t.Errorf("a challenge used twice: %d %+v", resp.StatusCode, bad)
	}
	form.Set("pow_nonce", "x")
	if resp, _ := c.PostForm(p.srv.URL+"/portal/code", form); resp.StatusCode != 400 {
		t.Errorf("no work done: %d", resp.StatusCode)
	}

	fields := map[string]string{"kind": "complaint", "category_id": strconv.FormatInt(p.cat, 10), "title": "", "content": "金典城小区东门路灯坏了一个月。",
		"place": "安源区金典城小区", "name": "李四", "phone": phone, "code": code}
	before := p.countRows(t, "tickets")
	st, page := p.postAppeal(t, c, fields, photo(320, 240))
	if st != 400 || !strings.Contains(page, `data-field="title"`) || !strings.Contains(page, "金典城小区东门路灯坏了一个月。") {
		t.Fatalf("no title: %d %.300s", st, page)
	}
	if p.countRows(t, "tickets") != before {
		t.Fatal("a refused appeal was stored")
	}
	fields["title"] = "小区路灯不亮"
	st, loc := p.postAppeal(t, c, fields, photo(320, 240))
	if st != 303 || !strings.HasPrefix(loc, "/portal/done?number=") {
		t.Fatalf("appeal: %d %.300s", st, loc)
	}
	number := strings.TrimPrefix(loc, "/portal/done?number=")
	if st, done := get(t, c, p.srv.URL+loc); st != 200 || !strings.Contains(done, number) {
		t.Fatalf("done page %d", st)
	}
	var list struct {
		Items []struct {
			ID      int64
			Number  string
			Status  string
			Channel string
		}
	}
	p.call("dispatcher", "GET", "/api/v1/tickets?status=accepted", nil, 200, &list)
	var id int64
	for _, it := range list.Items {
		if it.Number == number && it.Channel == "web" {
			id = it.ID
		}
	}
	if id == 0 {
		t.Fatalf("%s is not in 待提交: %+v", number, list.Items)
	}
	var tk hotline.Ticket
	p.call("dispatcher", "GET", fmt.Sprintf("/api/v1/tickets/%d", id), nil, 200, &tk)
	if len(tk.Attachments) != 1 || !strings.HasPrefix(tk.Attachments[0].ContentType, "image/") {
		t.Errorf("the photo: %+v", tk.Attachments)
	}
	raw, _ := os.ReadFile(p.outbox)
	if strings.Contains(string(raw), phone) || !strings.Contains(string(raw), number) {
		t.Errorf("outbox: %s", raw)
	}

	limited := mustPortal(t, "sqlite", 3)
	codes := map[int]int{}
	for i := 0; i < 12; i++ {
		st, _ := get(t, browser(t), limited.srv.URL+"/portal")
		codes[st]++
	}
	if codes[429] == 0 || codes[200] == 0 {
		t.Errorf("the per-address limit: %v", codes)
	}
}
