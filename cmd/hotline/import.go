package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"hotline/sqldb"
)

func runImport(ctx context.Context, what string, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	summary := map[string]string{
		"categories": "hotline import categories FILE：导入三级诉求分类。CSV 每行：一级分类,二级分类,三级分类（首行为表头时自动跳过）",
		"units":      "hotline import units FILE：导入承办单位。CSV 每行：code,name,kind,parent_code；kind 为 city/district/township/department/utility/company",
	}[what]
	fs := newFlagSet("import "+what, summary, stderr)
	f.register(fs)
	if err := f.parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("请指定要导入的 CSV 文件")
	}
	rows, err := readCSV(fs.Arg(0))
	if err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var added int
	switch what {
	case "categories":
		if len(rows) > 0 && strings.Contains(rows[0][0], "分类") {
			rows = rows[1:] // header
		}
		added, err = db.ImportCategories(ctx, sqldb.SystemActor, rows)
	case "units":
		if len(rows) > 0 && rows[0][0] == "code" {
			rows = rows[1:]
		}
		var units [][4]string
		for i, r := range rows {
			if len(r) < 3 || len(r) > 4 {
				return fmt.Errorf("第%d行：应为 code,name,kind,parent_code", i+1)
			}
			var u [4]string
			copy(u[:], r)
			units = append(units, u)
		}
		added, err = db.ImportUnits(ctx, sqldb.SystemActor, units)
	}
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "已导入 %d 条（共读取 %d 行，已存在的跳过）\n", added, len(rows))
	return nil
}

// readCSV reads a UTF-8 CSV file.
func readCSV(path string) ([][]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rows, err := parseCSV(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

// parseCSV parses UTF-8 CSV (a BOM is dropped), allowing ragged rows;
// anything that is not UTF-8 (a GBK export from Excel, say) is refused with
// a hint rather than imported as mojibake.
func parseCSV(b []byte) ([][]string, error) {
	if !utf8.Valid(b) {
		return nil, fmt.Errorf("文件不是 UTF-8 编码（Excel 请另存为“CSV UTF-8”）")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	return r.ReadAll()
}
