package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline"
	"hotline/files"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// part is one file of a multipart upload: its name, the type the client
// claims and its bytes.
type part struct {
	name, claimed string
	data          []byte
}

// upload posts files as who and returns the status and the decoded body.
func (e *env) upload(who, path string, parts ...part) (int, map[string]any) {
	e.tb.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, p.name))
		h.Set("Content-Type", p.claimed)
		w, _ := mw.CreatePart(h)
		w.Write(p.data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+e.tokens[who])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	out := map[string]any{}
	json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// photo is a picture of w×h: a sky over a street, something to see in
// a thumbnail.
func photo(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{135, 190, 235, 255}
			if y > h*2/3 {
				c = color.RGBA{110, 110, 115, 255}
			} else if x > w/3 && x < w*2/3 && y > h/4 {
				c = color.RGBA{190, 120, 90, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// Attachments: the type is sniffed, not believed; a picture gets a
// thumbnail; a refused file is a 400 naming the field and stores nothing;
// another unit's ticket does not exist; a confidential ticket's downloads
// are audited; the store holds no plaintext.
func TestAPI_Attachments(t *testing.T) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { testAttachments(t, MustServerOn(t, d)) })
	}
}

func testAttachments(t *testing.T, e *env) {
	ctx := context.Background()
	tk := e.newTicket(map[string]any{"submit": true, "confidential": true})
	p := fmt.Sprintf("/api/v1/tickets/%d/", tk.ID)
	e.call("dispatcher", "POST", p+"dispatch", map[string]any{"lead_unit_id": e.units["util-water"]}, 200, nil)

	code, out := e.upload("agent", p+"attachments", part{"现场.pdf", "application/pdf", photo(800, 600)},
		part{"说明.txt", "application/octet-stream", []byte("凤凰街2号停水，联系人13912345678")})
	items, _ := out["items"].([]any)
	if code != 201 || len(items) != 2 {
		t.Fatalf("upload: %d %v", code, out)
	}
	pic, txt := items[0].(map[string]any), items[1].(map[string]any)
	if pic["content_type"] != "image/png" || pic["has_thumbnail"] != true || txt["content_type"] != "text/plain" || txt["has_thumbnail"] != false {
		t.Errorf("sniffed %v / %v", pic, txt)
	}
	// Refused, with nothing stored: a page of HTML, an empty file, too big.
	for _, bad := range [][]part{
		{{"ok.png", "image/png", photo(2, 2)}, {"x.png", "image/png", []byte("<html><script>alert(1)</script>")}},
		{{"empty.jpg", "image/jpeg", nil}},
		{{"big.png", "image/png", append(photo(2, 2), make([]byte, 10<<20)...)}},
	} {
		code, out := e.upload("agent", p+"attachments", bad...)
		errObj, _ := out["error"].(map[string]any)
		if code != 400 || errObj["field"] != "file" {
			t.Errorf("upload of %s: %d %v, want 400 naming file", bad[len(bad)-1].name, code, out)
		}
	}
	var got hotline.Ticket
	e.call("lead", "GET", p[:len(p)-1], nil, 200, &got)
	if len(got.Attachments) != 2 || got.Events[len(got.Events)-1].Action != hotline.ActionAttach {
		t.Fatalf("ticket has %d attachments (want 2), last event %s", len(got.Attachments), got.Events[len(got.Events)-1].Action)
	}
	picID := got.Attachments[0].ID
	// A foreign unit: not found, for the file and for an upload.
	e.call("util-power", "GET", fmt.Sprintf("/api/v1/attachments/%d", picID), nil, 404, nil)
	if code, _ := e.upload("util-power", p+"attachments", part{"a.png", "image/png", photo(2, 2)}); code != 404 {
		t.Errorf("a foreign unit's upload: %d, want 404", code)
	}
	// The lead unit downloads it; the picture and its thumbnail come back.
	before := e.auditCount(ctx, "attachment.")
	code, body := e.fetch("util-water", "GET", fmt.Sprintf("/api/v1/attachments/%d", picID))
	if code != 200 || !bytes.Equal(body, photo(800, 600)) {
		t.Fatalf("download: %d, %d bytes", code, len(body))
	}
	code, thumb := e.fetch("util-water", "GET", fmt.Sprintf("/api/v1/attachments/%d/thumbnail", picID))
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(thumb)); code != 200 || err != nil || cfg.Width != files.ThumbSize {
		t.Errorf("thumbnail: %d, %v, %d px wide", code, err, cfg.Width)
	}
	if n := e.auditCount(ctx, "attachment."); n != before+2 {
		t.Errorf("confidential downloads audited %d times, want 2", n-before)
	}
	// An ordinary ticket's downloads are not audited; read-only roles
	// may read but not attach.
	plain := e.newTicket(nil)
	code, _ = e.upload("agent", fmt.Sprintf("/api/v1/tickets/%d/attachments", plain.ID), part{"a.png", "image/png", photo(3, 3)})
	e.addUser("watch", hotline.RoleSupervisor, 0)
	if c2, _ := e.upload("watch", fmt.Sprintf("/api/v1/tickets/%d/attachments", plain.ID), part{"b.png", "image/png", photo(3, 3)}); code != 201 || c2 != 403 {
		t.Errorf("agent's upload %d (want 201), supervisor's %d (want 403)", code, c2)
	}
	var pt hotline.Ticket
	e.call("watch", "GET", fmt.Sprintf("/api/v1/tickets/%d", plain.ID), nil, 200, &pt)
	n := e.auditCount(ctx, "attachment.")
	if code, _ := e.fetch("watch", "GET", fmt.Sprintf("/api/v1/attachments/%d", pt.Attachments[0].ID)); code != 200 || e.auditCount(ctx, "attachment.") != n {
		t.Errorf("ordinary download: %d, audited %d", code, e.auditCount(ctx, "attachment.")-n)
	}
	// On disk: sealed bytes only.
	root := e.db.Files.(files.Dir).Root
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(path)
			if bytes.Contains(b, []byte("13912345678")) || bytes.Contains(b, []byte("\x89PNG")) || strings.Contains(string(b), "凤凰街") {
				t.Errorf("%s holds plaintext", path)
			}
		}
		return nil
	})
}

// auditCount counts the audit entries whose action starts with prefix.
func (e *env) auditCount(ctx context.Context, prefix string) int {
	_, n, err := e.db.FindAudit(ctx, sqldb.SystemActor, sqldb.AuditFilter{Action: prefix, PageSize: 1})
	if err != nil {
		e.tb.Fatal(err)
	}
	return n
}
