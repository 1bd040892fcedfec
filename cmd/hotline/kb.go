package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hotline"
	"hotline/kbio"
	"hotline/sqldb"
)

func runKB(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		return fmt.Errorf("用法: hotline kb import PATH [--publish] | hotline kb export --out FILE.xlsx")
	}
	var f dbFlags
	summary := map[string]string{
		"import": "hotline kb import PATH：导入知识库文章。PATH 为 Markdown 文件夹（每个 .md 一篇，可带 --- 包围的 title/kind/unit/doc_number/categories/answer 等头信息）或 xlsx 工作簿（首行为列名：标题、类型、责任单位编码、文号、来源、生效日期、失效日期、下次复核、分类、答复口径、正文）。任何一篇有误则整批不导入。",
		"export": "hotline kb export --out FILE.xlsx：导出知识库文章（列与导入相同，可再导入）。",
	}[args[0]]
	fs := newFlagSet("kb "+args[0], summary, stderr)
	f.register(fs)
	publish := fs.Bool("publish", false, "导入后直接发布（否则为草稿，待审核发布）")
	out := fs.String("out", "", "导出文件（.xlsx）")
	status := fs.String("status", "all", "导出哪些状态的文章：all、published、draft、in_review、retired")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	units, err := db.FindUnits(ctx)
	if err != nil {
		return err
	}
	cats, err := db.FindCategories(ctx)
	if err != nil {
		return err
	}
	if args[0] == "export" {
		if *out == "" {
			fs.Usage()
			return fmt.Errorf("请用 --out 指定导出文件")
		}
		arts, err := db.ExportArticles(ctx, sqldb.SystemActor, sqldb.ArticleSearch{Status: *status})
		if err != nil {
			return err
		}
		codes, paths := map[int64]string{}, map[int64]string{}
		for _, u := range units {
			codes[u.ID] = u.Code
		}
		for _, c := range cats {
			paths[c.ID] = c.Path
		}
		file, err := os.Create(*out)
		if err != nil {
			return err
		}
		if err := kbio.WriteXLSX(file, kbio.Items(arts, codes, paths)); err != nil {
			file.Close()
			return err
		}
		if err := file.Close(); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "导出 %d 篇文章到 %s\n", len(arts), *out)
		return nil
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("请指定 Markdown 文件夹或 xlsx 文件")
	}
	items, err := readKBItems(fs.Arg(0))
	if err != nil {
		return err
	}
	byCode, byPath := map[string]int64{}, map[string]int64{}
	for _, u := range units {
		byCode[u.Code] = u.ID
	}
	for _, c := range cats {
		byPath[c.Path] = c.ID
	}
	arts, err := kbio.Resolve(items, byCode, byPath)
	if err != nil {
		return err
	}
	err = db.ImportArticles(ctx, sqldb.SystemActor, arts, *publish, func(done, total int) {
		fmt.Fprintf(stderr, "\r已导入 %d/%d", done, total)
	})
	if len(arts) > 0 {
		fmt.Fprintln(stderr)
	}
	if err != nil {
		return fmt.Errorf("%s", hotline.ErrorMessage(err))
	}
	state := "草稿（待审核发布）"
	if *publish {
		state = "已发布"
	}
	fmt.Fprintf(stdout, "导入 %d 篇文章，状态：%s\n", len(arts), state)
	return nil
}

// readKBItems reads a folder of Markdown files or an xlsx workbook.
func readKBItems(p string) ([]*kbio.Item, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return kbio.ReadMarkdown(os.DirFS(p), ".")
	}
	if !strings.EqualFold(filepath.Ext(p), ".xlsx") {
		return nil, fmt.Errorf("%s：应为 Markdown 文件夹或 .xlsx 工作簿", p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return kbio.ReadXLSX(f)
}
