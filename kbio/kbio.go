// Package kbio reads and writes knowledge-base articles as files: a folder
// of Markdown files with a front matter, and an xlsx workbook with one
// article per row. Units are named by their code and categories by their
// path, so files move between installations; Resolve turns them into ids.
package kbio

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"hotline"
)

// Item is an article as a file holds it.
type Item struct {
	hotline.Article
	Unit       string   // unit code
	Categories []string // category paths, 一级/二级/三级
	From       string   // where it was read from, for error messages
}

// columns of the workbook, in order; a header may use either name.
var columns = []struct{ en, zh string }{
	{"title", "标题"}, {"kind", "类型"}, {"unit", "责任单位编码"}, {"doc_number", "文号"}, {"source", "来源"},
	{"effective_on", "生效日期"}, {"expires_on", "失效日期"}, {"review_on", "下次复核"}, {"categories", "分类"},
	{"answer", "答复口径"}, {"body", "正文"},
}

func (it *Item) field(name string) *string {
	switch name {
	case "title":
		return &it.Title
	case "kind":
		return (*string)(&it.Kind)
	case "unit":
		return &it.Unit
	case "doc_number":
		return &it.DocNumber
	case "source":
		return &it.Source
	case "effective_on":
		return &it.EffectiveOn
	case "expires_on":
		return &it.ExpiresOn
	case "review_on":
		return &it.ReviewOn
	case "answer":
		return &it.Answer
	case "body":
		return &it.Body
	}
	return nil
}

func (it *Item) set(name, v string) {
	v = strings.TrimSpace(v)
	if name == "categories" {
		for _, c := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == '；' || r == '\n' }) {
			if c = strings.TrimSpace(c); c != "" {
				it.Categories = append(it.Categories, c)
			}
		}
		return
	}
	if p := it.field(name); p != nil {
		*p = v
	}
}

func (it *Item) get(name string) string {
	if name == "categories" {
		return strings.Join(it.Categories, "；")
	}
	if p := it.field(name); p != nil {
		return *p
	}
	return ""
}

// kindNames maps the Chinese kind names to kinds, so a workbook may say 答复口径.
func kind(v string) hotline.ArticleKind {
	for _, k := range hotline.ArticleKinds {
		if v == k.Label() {
			return k
		}
	}
	return hotline.ArticleKind(v)
}

// ReadMarkdown reads every .md file under root: an optional front matter
// between lines of ---, with "key: value" lines (the workbook's column
// names), then the body. Without a title the first "# " heading is the
// title, else the file name; without a kind it is faq.
func ReadMarkdown(fsys fs.FS, root string) ([]*Item, error) {
	var out []*Item
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.EqualFold(path.Ext(p), ".md") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		it, err := parseMarkdown(p, string(b))
		if err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].From < out[j].From })
	return out, err
}

func parseMarkdown(name, text string) (*Item, error) {
	it := &Item{From: name}
	text = strings.TrimPrefix(strings.ReplaceAll(text, "\r\n", "\n"), "\ufeff")
	if strings.HasPrefix(text, "---\n") {
		end := strings.Index(text[4:], "\n---")
		if end < 0 {
			return nil, fmt.Errorf("%s: the front matter has no closing ---", name)
		}
		sc := bufio.NewScanner(strings.NewReader(text[4 : 4+end]))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				return nil, fmt.Errorf("%s: front matter line %d: want key: value", name, n)
			}
			it.set(columnName(strings.TrimSpace(k)), v)
		}
		text = text[4+end+4:]
	}
	it.Body = strings.TrimSpace(text)
	if it.Title == "" {
		first, rest, _ := strings.Cut(it.Body, "\n")
		if strings.HasPrefix(first, "# ") {
			it.Title, it.Body = strings.TrimSpace(first[2:]), strings.TrimSpace(rest)
		} else {
			it.Title = strings.TrimSuffix(path.Base(name), path.Ext(name))
		}
	}
	it.Kind = kind(string(it.Kind))
	if it.Kind == "" {
		it.Kind = hotline.ArticleFAQ
	}
	return it, nil
}

// columnName accepts a column's English or Chinese name.
func columnName(k string) string {
	for _, c := range columns {
		if strings.EqualFold(k, c.en) || k == c.zh {
			return c.en
		}
	}
	return k
}

// ReadXLSX reads the first sheet of a workbook: a header row naming the
// columns (English or Chinese, any order), then one article per row.
func ReadXLSX(r io.Reader) ([]*Item, error) {
	x, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("not an xlsx workbook: %w", err)
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	var names []string
	has := map[string]bool{}
	for _, h := range rows[0] {
		n := columnName(strings.TrimSpace(h))
		names = append(names, n)
		has[n] = true
	}
	if !has["title"] || !has["body"] {
		return nil, fmt.Errorf("the first row must name the columns, at least 标题 (title) and 正文 (body)")
	}
	var out []*Item
	for i, row := range rows[1:] {
		it := &Item{From: fmt.Sprintf("第%d行", i+2)}
		empty := true
		for j, v := range row {
			if j < len(names) {
				it.set(names[j], v)
				empty = empty && strings.TrimSpace(v) == ""
			}
		}
		if empty {
			continue
		}
		if it.Kind = kind(string(it.Kind)); it.Kind == "" {
			it.Kind = hotline.ArticleFAQ
		}
		out = append(out, it)
	}
	return out, nil
}

// WriteXLSX writes items as a workbook ReadXLSX reads back, with Chinese
// headers.
func WriteXLSX(w io.Writer, items []*Item) error {
	x := excelize.NewFile()
	defer x.Close()
	sheet := "知识库"
	x.SetSheetName("Sheet1", sheet)
	var header []any
	for _, c := range columns {
		header = append(header, c.zh)
	}
	if err := x.SetSheetRow(sheet, "A1", &header); err != nil {
		return err
	}
	for i, it := range items {
		var row []any
		for _, c := range columns {
			v := it.get(c.en)
			if c.en == "kind" {
				v = it.Kind.Label()
			}
			row = append(row, v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	x.SetColWidth(sheet, "A", "A", 36)
	x.SetColWidth(sheet, "J", "K", 60)
	return x.Write(w)
}

// Resolve turns unit codes and category paths into ids; it names the item
// and the code or path it does not know.
func Resolve(items []*Item, unitByCode, categoryByPath map[string]int64) ([]*hotline.Article, error) {
	out := make([]*hotline.Article, len(items))
	for i, it := range items {
		a := it.Article
		if it.Unit != "" {
			id, ok := unitByCode[it.Unit]
			if !ok {
				return nil, fmt.Errorf("%s（%s）：没有编码为“%s”的单位", it.From, it.Title, it.Unit)
			}
			a.UnitID = id
		}
		for _, p := range it.Categories {
			id, ok := categoryByPath[p]
			if !ok {
				return nil, fmt.Errorf("%s（%s）：没有分类“%s”", it.From, it.Title, p)
			}
			a.CategoryIDs = append(a.CategoryIDs, id)
		}
		out[i] = &a
	}
	return out, nil
}

// Items turns articles into items for writing, naming units by code and
// categories by path.
func Items(arts []*hotline.Article, unitCode, categoryPath map[int64]string) []*Item {
	out := make([]*Item, len(arts))
	for i, a := range arts {
		it := &Item{Article: *a, Unit: unitCode[a.UnitID]}
		for _, c := range a.CategoryIDs {
			it.Categories = append(it.Categories, categoryPath[c])
		}
		out[i] = it
	}
	return out
}
