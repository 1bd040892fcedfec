package web_test

import (
	"bytes"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hotline"
	"hotline/files"
)

// TestAPI_Training: a month's business training recorded over the API
// and a team-building day through the page's form; the month shows both
// (API and page); a future date is refused naming the field.
func TestAPI_Training(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	var m struct{ ID int64 }
	e.call("pm", "POST", "/api/v1/staff", map[string]any{"name": "员工甲", "posts": []string{"call_agent"}, "status": "active", "hire_date": "2026-01-01"}, 201, &m)
	month := e.db.Now().In(hotline.ChinaZone).Format("2006-01")
	today := e.db.Now().In(hotline.ChinaZone).Format("2006-01-02")
	e.call("pm", "POST", "/api/v1/training", map[string]any{"kind": "monthly", "title": "业务培训：医保政策", "date": today, "hours": 2, "participants": []int64{m.ID}}, 201, nil)
	var bad apiError
	e.call("pm", "POST", "/api/v1/training", map[string]any{"kind": "monthly", "title": "未来", "date": "2099-01-01", "hours": 2, "participants": []int64{m.ID}}, 400, &bad)
	if bad.Error.Field != "date" {
		t.Errorf("future %+v", bad)
	}
	c, csrf := loggedIn(t, e, "pm")
	if code, _ := postForm(t, c, e.srv.URL+"/staff/training", url.Values{"csrf_token": {csrf}, "kind": {"team_building"}, "title": {"登山团建"}, "date": {today},
		"hours": {"4"}, "participants": {strconv.FormatInt(m.ID, 10)}}); code != 303 {
		t.Fatalf("form %d", code)
	}
	var out struct {
		Items []struct{ Title string }
		Month struct {
			MonthlyTraining int `json:"monthly_training"`
			TeamBuilding    int `json:"team_building"`
		}
	}
	e.call("pm", "GET", "/api/v1/training?month="+month, nil, 200, &out)
	if len(out.Items) != 2 || out.Month.MonthlyTraining != 1 || out.Month.TeamBuilding != 1 {
		t.Errorf("month %+v", out)
	}
	if code, body := get(t, c, e.srv.URL+"/staff/training?month="+month); code != 200 || !strings.Contains(body, "登山团建") || !strings.Contains(body, "员工甲") {
		t.Errorf("page %d", code)
	}
	e.call("agent", "GET", "/api/v1/training", nil, 403, nil)

	// Photos: a picture is kept (sealed on disk) with a thumbnail and
	// listed with its record; a text file is refused naming the field.
	var rec struct{ Items []struct{ ID int64 } }
	e.call("pm", "GET", "/api/v1/training?month="+month, nil, 200, &rec)
	id := strconv.FormatInt(rec.Items[0].ID, 10)
	if code, got := e.upload("pm", "/api/v1/training/"+id+"/photos", part{"不是照片.txt", "image/png", []byte("会议纪要")}); code != 400 || got["error"].(map[string]any)["field"] != "file" {
		t.Errorf("a text file as a photo: %d %v", code, got)
	}
	pic := photo(640, 480)
	code, up := e.upload("pm", "/api/v1/training/"+id+"/photos", part{"团建.png", "image/png", pic})
	if code != 201 {
		t.Fatalf("photo upload %d %v", code, up)
	}
	pid := strconv.FormatInt(int64(up["items"].([]any)[0].(map[string]any)["id"].(float64)), 10)
	if got := e.call("pm", "GET", "/staff/training/photos/"+pid, nil, 200, nil); !bytes.Equal(got, pic) {
		t.Error("the photo read back differs")
	}
	if thumb := e.call("pm", "GET", "/staff/training/photos/"+pid+"/thumbnail", nil, 200, nil); !bytes.HasPrefix(thumb, []byte{0xFF, 0xD8}) {
		t.Errorf("the thumbnail is not a JPEG: % x", thumb[:min(8, len(thumb))])
	}
	e.call("agent", "GET", "/staff/training/photos/"+pid, nil, 403, nil)
	var with struct{ Items []struct{ Photos []int64 } }
	e.call("pm", "GET", "/api/v1/training?month="+month, nil, 200, &with)
	if len(with.Items[0].Photos) != 1 {
		t.Errorf("the record's photos %+v", with.Items[0])
	}
	root := e.db.Files.(files.Dir).Root
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if raw, _ := os.ReadFile(path); bytes.Contains(raw, pic[:64]) {
				t.Errorf("%s holds the photo in plaintext", path)
			}
		}
		return nil
	})
}
