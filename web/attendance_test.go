package web_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hotline"
)

// TestAPI_Attendance: this month's roster published, the agent signs in
// with the button (twice is a conflict), asks for a correction (without
// a reason: 400 naming the field, nothing stored), the lead approves it;
// the ledger and the roster download as workbooks that open, with the
// agent's lines; the agent reads only their own lines; another file
// type is not found.
func TestAPI_Attendance(t *testing.T) {
	e := MustServer(t)
	e.addUser("pm", hotline.RoleProjectManager, 0)
	e.addTeam(7, 7, 0)
	now := e.db.Now().In(hotline.ChinaZone)
	month := now.Format("2006-01")
	if now.Day() == now.AddDate(0, 1, -now.Day()).Day() {
		month = now.AddDate(0, 0, 1).Format("2006-01") // the month's last day: roster the next
	}
	e.call("pm", "POST", "/api/v1/rosters/"+month+"/generate", nil, 201, nil)
	e.call("pm", "POST", "/api/v1/rosters/"+month+"/publish", nil, 200, nil)

	e.call("agent", "POST", "/api/v1/attendance/punch", map[string]string{"kind": "sign_in"}, 204, nil)
	e.call("agent", "POST", "/api/v1/attendance/punch", map[string]string{"kind": "sign_in"}, 409, nil)
	e.call("agent", "POST", "/api/v1/attendance/punch", map[string]string{"kind": "nap"}, 400, nil)
	var bad apiError
	raw := e.call("agent", "POST", "/api/v1/attendance/corrections", map[string]any{"kind": "sign_out", "at": time.Now().Add(-time.Hour), "reason": ""}, 400, &bad)
	if bad.Error.Field != "reason" {
		t.Errorf("a correction without a reason: %s", raw)
	}
	var id struct{ ID int64 }
	e.call("agent", "POST", "/api/v1/attendance/corrections", map[string]any{"kind": "sign_in", "at": time.Now().Add(-2 * time.Hour), "reason": "系统故障未记录"}, 201, &id)
	e.call("agent", "POST", fmt.Sprintf("/api/v1/attendance/corrections/%d/decision", id.ID), map[string]any{"approve": true}, 403, nil)
	e.call("lead", "POST", fmt.Sprintf("/api/v1/attendance/corrections/%d/decision", id.ID), map[string]any{"approve": true}, 204, nil)

	var v struct {
		All         bool
		Records     []struct{ Name, Status string }
		Corrections []struct{ Status string }
	}
	e.call("agent", "GET", "/api/v1/attendance/"+now.Format("2006-01"), nil, 200, &v)
	for _, r := range v.Records {
		if r.Name != "员工00" {
			t.Fatalf("the agent sees %s's line", r.Name)
		}
	}
	if v.All || len(v.Corrections) != 1 || v.Corrections[0].Status != "approved" {
		t.Errorf("the agent's ledger: %+v", v)
	}
	open := func(path string) *excelize.File {
		t.Helper()
		raw := e.call("lead", "GET", path, nil, 200, nil)
		x, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(path, err)
		}
		return x
	}
	x := open("/staff/attendance/" + now.Format("2006-01") + ".xlsx")
	rows, _ := x.GetRows("在岗台账")
	if len(rows) < 1 || rows[0][0] != "日期" {
		t.Fatalf("attendance sheet %v", rows)
	}
	corr, _ := x.GetRows("补卡")
	if len(corr) != 2 || corr[1][0] != "员工00" || corr[1][4] != "已批准" {
		t.Errorf("corrections sheet %v", corr)
	}
	x = open("/staff/rosters/" + month + ".xlsx")
	grid, _ := x.GetRows("排班")
	if len(grid) < 10 || !strings.HasPrefix(grid[0][1], month[5:]+"-") {
		t.Fatalf("roster sheet %d rows, header %v", len(grid), grid[0])
	}
	e.call("lead", "GET", "/staff/rosters/"+month+".pdf", nil, 404, nil)

	// LibreOffice, where installed (apt-get install libreoffice-calc-nogui;
	// not in CI: a documented check), opens the roster grid.
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Log("LibreOffice not installed: the workbooks are checked with excelize only")
		return
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "roster.xlsx"), e.call("lead", "GET", "/staff/rosters/"+month+".xlsx", nil, 200, nil), 0o600)
	out, err := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, filepath.Join(dir, "roster.xlsx")).CombinedOutput()
	if err != nil {
		t.Fatalf("LibreOffice: %v %s", err, out)
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "roster.csv"))
	if !bytes.Contains(csv, []byte("员工00")) || !bytes.Contains(csv, []byte(month[5:]+"-")) {
		t.Errorf("LibreOffice read the roster as %.200q", csv)
	}
}
