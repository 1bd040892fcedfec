package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline/kbio"
)

// Markdown in, xlsx out, the xlsx in again: the same articles, and a bad
// file changes nothing.
func TestKBImportExport(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	t.Setenv("HOTLINE_MASTER_KEY", strings.Repeat("ab", 32))
	var out, errb bytes.Buffer
	// cli runs a command; the flags go before the positional arguments.
	cli := func(args ...string) error {
		out.Reset()
		errb.Reset()
		words := 1
		if args[0] == "import" || args[0] == "kb" {
			words = 2
		}
		full := append(append(append([]string{}, args[:words]...), "--data", data), args[words:]...)
		return run(ctx, full, nil, &out, &errb)
	}
	if err := cli("migrate"); err != nil {
		t.Fatal(err)
	}
	units := filepath.Join(t.TempDir(), "units.csv")
	os.WriteFile(units, []byte("code,name,kind,parent_code\npx,萍乡市,city,\nutil-water,萍乡市水务有限公司,utility,px\n"), 0o600)
	if err := cli("import", "units", units); err != nil {
		t.Fatal(err)
	}
	md := t.TempDir()
	os.MkdirAll(filepath.Join(md, "水务"), 0o700)
	os.WriteFile(filepath.Join(md, "水务", "停水.md"), []byte("---\ntitle: 停水了怎么查询原因\nkind: 答复口径\nunit: util-water\nanswer: 打水务公司热线查询。\nreview_on: 2027-06-01\n---\n计划停水会提前通知。\n"), 0o600)
	os.WriteFile(filepath.Join(md, "水费.md"), []byte("# 水费怎么缴纳\n\n在公众号缴纳。\n"), 0o600)
	os.WriteFile(filepath.Join(md, "说明.txt"), []byte("not an article"), 0o600)
	if err := cli("kb", "import", "--publish", md); err != nil || !strings.Contains(out.String(), "导入 2 篇文章，状态：已发布") {
		t.Fatalf("import markdown: %v %s %s", err, out.String(), errb.String())
	}
	book := filepath.Join(t.TempDir(), "kb.xlsx")
	if err := cli("kb", "export", "--out", book); err != nil || !strings.Contains(out.String(), "导出 2 篇") {
		t.Fatalf("export: %v %s", err, out.String())
	}
	f, _ := os.Open(book)
	items, err := kbio.ReadXLSX(f)
	f.Close()
	if err != nil || len(items) != 2 {
		t.Fatalf("read back: %v %d", err, len(items))
	}
	byTitle := map[string]*kbio.Item{}
	for _, it := range items {
		byTitle[it.Title] = it
	}
	w := byTitle["停水了怎么查询原因"]
	if w == nil || w.Unit != "util-water" || w.Kind != "faq" || w.Answer != "打水务公司热线查询。" || w.ReviewOn != "2027-06-01" || w.Body != "计划停水会提前通知。" {
		t.Errorf("exported %+v", w)
	}
	if b := byTitle["水费怎么缴纳"]; b == nil || b.Body != "在公众号缴纳。" {
		t.Errorf("title from the heading: %+v", b)
	}
	// The workbook imports again (as drafts); a bad unit refuses it all.
	if err := cli("kb", "import", book); err != nil || !strings.Contains(out.String(), "导入 2 篇文章，状态：草稿") {
		t.Fatalf("import xlsx: %v %s %s", err, out.String(), errb.String())
	}
	os.WriteFile(filepath.Join(md, "坏.md"), []byte("---\ntitle: 坏的\nunit: nobody\n---\n正文\n"), 0o600)
	if err := cli("kb", "import", md); err == nil || !strings.Contains(err.Error(), "没有编码为“nobody”的单位") {
		t.Errorf("bad unit: %v", err)
	}
	if err := cli("kb", "export", "--out", book); err != nil || !strings.Contains(out.String(), "导出 4 篇") {
		t.Errorf("after the refused import: %s", out.String())
	}
}
