package hotline_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// importRules is the dependency rule of ../shared/DESIGN.md: imports point
// one way, cmd → web, jobs, channel → sqldb → capability packages and
// engines → hotline (root). Each entry lists what a package may not
// import (by path prefix within the module).
var importRules = map[string][]string{
	"hotline":          {"hotline/"}, // the vocabulary imports nothing of the project
	"hotline/classify": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	// dedup compares texts normalised exactly as the dispatch model reads
	// them (classify.Normalize): an engine on an engine, never on storage.
	"hotline/dedup":      {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/zhsearch":   {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/keyring":    {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/kbio":       {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/metrics":    {"hotline/"}, // the metric families, nothing of the project
	"hotline/files":      {"hotline/"}, // the attachment store, sniffing and thumbnails
	"hotline/sqldb":      {"hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/jobs":       {"hotline/web", "hotline/demo", "hotline/cmd"},
	"hotline/web":        {"hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/replycheck": {"hotline/"}, // the reply quality check: the text only
	// quality inspection: cards, the inspection state machine, sampling (pure).
	"hotline/quality": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd", "hotline/channel", "hotline/wfm"},
	// the workforce engine: traffic, staffing, rosters (pure).
	"hotline/wfm": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd", "hotline/channel"},
	// hotspot clustering: dedup's similarity over a period's appeals (pure).
	"hotline/hotspot": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd", "hotline/channel", "hotline/quality", "hotline/wfm", "hotline/report"},
	// the report figures: what a ticket counts for, the ratios, periods (pure).
	"hotline/report": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd", "hotline/channel", "hotline/quality", "hotline/wfm"},
	// channel adapters turn outside input into the domain's intake and call
	// storage like a handler.
	"hotline/channel/cti": {"hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	// the SMS gateway and the WeChat protocol are seams: the outside
	// party's formats, nothing of storage (web and jobs call them).
	"hotline/channel/sms":    {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	"hotline/channel/wechat": {"hotline/sqldb", "hotline/web", "hotline/jobs", "hotline/demo", "hotline/cmd"},
	// public disclosure's redaction: the text only (pure).
	"hotline/disclosure": {"hotline/"},
	"hotline/demo":       {"hotline/web", "hotline/cmd"},
}

// TestImportDirection reads every package's dependencies (go list -deps,
// so an indirect import counts too) and fails on any the rule forbids; a
// package the rule does not know is an error too, so that a new one gets
// a rule.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-json=ImportPath,Deps", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Deps       []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.ImportPath, "hotline/cmd/") || strings.HasSuffix(p.ImportPath, "test") {
			continue // commands wire everything; test helpers go where tests go
		}
		forbidden, ok := importRules[p.ImportPath]
		if !ok {
			t.Errorf("package %s has no import rule: add it to importRules", p.ImportPath)
			continue
		}
		seen++
		for _, d := range p.Deps {
			for _, f := range forbidden {
				if d == f || strings.HasPrefix(d, f) && (strings.HasSuffix(f, "/") || strings.HasPrefix(d, f+"/")) {
					t.Errorf("%s imports %s (directly or through another package): the rule forbids %s", p.ImportPath, d, f)
				}
			}
		}
	}
	if seen < len(importRules) {
		t.Errorf("only %d of the %d packages with rules were listed", seen, len(importRules))
	}
}
