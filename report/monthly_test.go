package report

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hotline"
)

func sampleData() *ReportData {
	p, _ := ParseKey("2026-11")
	fig := func(n int64) Figures {
		return Finish(Counts{Tickets: n, Concluded: n * 9 / 10, Dispatched: n / 2, Dispatches: n / 2, AckOnTime: n * 9 / 20,
			OnTime: n * 8 / 10, Evaluated: n / 2, Satisfied: n * 9 / 20, ResolvedKnown: n / 2, Resolved: n * 2 / 5})
	}
	d := &ReportData{Period: p, Issuer: "萍乡市12345热线", Now: fig(3466), Prev: fig(3570), HadPrev: true,
		Calls:     CallFigures{Offered: 27000, Answered: 25000, AnswerRate: 0.926, ServiceLevel15s: 0.81, AvgTalkSeconds: 352},
		Quality:   QualityFigures{Scored: 410, AvgScore: 91.5, PassRate: 0.95, UnsatisfiedCoverage: 1, RectOK: 1},
		Cases:     []Case{{Number: "PX20261103000123", Title: "金典城小区停水", Kind: "bad", Comment: "未记录停水时长", Score: 72}},
		Narrative: "一、金典城片区停水诉求集中，建议供水部门提前公告。\n二、夜间施工噪音投诉上升。"}
	for i := 0; i < 30; i++ {
		d.Daily = append(d.Daily, Counts{Tickets: int64(100 + i)})
		d.PrevDaily = append(d.PrevDaily, Counts{Tickets: int64(110 - i)})
	}
	d.Channels = []Row{{Key: "phone", Name: "电话", Figures: fig(2442)}, {Key: "web", Name: "网络留言", Figures: fig(343)}}
	d.Kinds = []Row{{Key: "consult", Name: "咨询", Figures: fig(1134)}}
	d.Categories = []Row{{Key: "1", Name: "城乡建设", Figures: fig(560)}, {Key: "2", Name: "公共事业", Figures: fig(384)}}
	d.Leaves = d.Categories
	d.Districts = []Row{{Key: "3", Name: "湘东区", Figures: fig(525)}}
	d.Units = RankUnits([]Row{{Key: "9", Name: "萍乡市水务集团", Figures: fig(300)}})
	return d
}

func charts(t *testing.T, ttf []byte) func(Chart, float64, float64) ([]byte, error) {
	return func(c Chart, w, h float64) ([]byte, error) { return c.PNG(ttf, w, h) }
}

// The monthly report as docx: a package Word and LibreOffice open (its
// parts well-formed XML, the charts as pictures), the figures in its
// text; as PDF: pdftoppm renders every page (when installed).
func TestBuild_DOCXAndPDF(t *testing.T) {
	ttf := reportFont(t)
	d := sampleData()
	doc, err := Build(d, charts(t, ttf))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "萍乡市12345热线2026年11月统计分析报告" {
		t.Errorf("title %q", doc.Title)
	}
	at := time.Date(2026, 12, 3, 9, 0, 0, 0, hotline.ChinaZone)
	var docx bytes.Buffer
	if err := WriteDOCX(&docx, doc, at); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(docx.Bytes()), int64(docx.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var text string
	pictures := 0
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed: %v", f.Name, err)
				}
				if cd, ok := tok.(xml.CharData); ok && f.Name == "word/document.xml" {
					text += string(cd)
				}
			}
		}
		if strings.HasPrefix(f.Name, "word/media/") {
			pictures++
		}
	}
	for _, want := range []string{"本期共受理群众诉求3466件，环比下降2.9%", "满意率90.0%", "萍乡市水务集团", "金典城小区停水", "夜间施工噪音投诉上升", "接通率92.6%"} {
		if !strings.Contains(text, want) {
			t.Errorf("the document lacks %q", want)
		}
	}
	if pictures < 6 {
		t.Errorf("%d charts in the document", pictures)
	}
	var pdf bytes.Buffer
	if err := WritePDF(&pdf, doc, ttf, at); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF-")) || !bytes.Contains(pdf.Bytes(), []byte("FontFile2")) {
		t.Fatal("not a PDF with an embedded TrueType font")
	}
	dir := t.TempDir()
	if out := os.Getenv("REPORT_OUT"); out != "" {
		dir = out
	}
	os.WriteFile(filepath.Join(dir, "monthly.docx"), docx.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "monthly.pdf"), pdf.Bytes(), 0o644)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Log("pdftoppm not installed (apt-get install poppler-utils): the PDF is not rendered")
		return
	}
	// LibreOffice, where installed (apt-get install libreoffice-writer-nogui;
	// not in CI: a documented check), opens the docx and prints it.
	if soffice, err := exec.LookPath("soffice"); err == nil {
		out, err := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"),
			"--convert-to", "pdf:writer_pdf_Export", "--outdir", filepath.Join(dir, "lo"), filepath.Join(dir, "monthly.docx")).CombinedOutput()
		if err != nil {
			t.Fatalf("LibreOffice: %v %s", err, out)
		}
		if out, err := exec.Command("pdftoppm", "-r", "30", "-png", filepath.Join(dir, "lo", "monthly.pdf"), filepath.Join(dir, "lo", "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm of LibreOffice's PDF: %v %s", err, out)
		}
		if pages, _ := filepath.Glob(filepath.Join(dir, "lo", "page*.png")); len(pages) < 3 {
			t.Errorf("LibreOffice printed %d pages of the docx", len(pages))
		}
	} else {
		t.Log("LibreOffice not installed: the docx is checked as a package only")
	}
	if out, err := exec.Command("pdftoppm", "-r", "40", "-png", filepath.Join(dir, "monthly.pdf"), filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pages) < 3 {
		t.Errorf("pdftoppm rendered %d pages", len(pages))
	}
}
