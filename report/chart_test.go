package report

import (
	"bytes"
	"image/png"
	"os"
	"testing"
)

// reportFont is the CJK TrueType font of the report tests (Debian's
// fonts-arphic-gbsn00lp, installed by .ci/run); REPORT_FONT overrides it.
func reportFont(t testing.TB) []byte {
	t.Helper()
	path := os.Getenv("REPORT_FONT")
	if path == "" {
		path = DefaultFont
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no CJK font at %s (apt-get install fonts-arphic-gbsn00lp): %v", path, err)
	}
	return b
}

func TestChart_PNG(t *testing.T) {
	ttf := reportFont(t)
	for name, c := range map[string]Chart{
		"bars":    {Title: "按渠道", Names: []string{"电话", "网络留言", "公众号"}, Series: []ChartSeries{{"受理量", []float64{120, 30, 12}}}},
		"ranking": {Title: "单位排名", Names: []string{"水务", "供电", "燃气"}, Series: []ChartSeries{{"响应率", []float64{99, 95, 80}}, {"满意率", []float64{90, 88, 70}}}, Horizontal: true},
		"trend":   {Title: "受理趋势", Names: []string{"11-01", "11-02", "11-03"}, Series: []ChartSeries{{"本期", []float64{100, 120, 90}}, {"上期", []float64{80, 110, 95}}}, Lines: true},
	} {
		b, err := c.PNG(ttf, 16, 8)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: not a PNG: %v", name, err)
		}
		if w := img.Bounds().Dx(); w < 800 {
			t.Errorf("%s: %d px wide", name, w)
		}
		if os.Getenv("REPORT_CHARTS") != "" {
			os.WriteFile(os.Getenv("REPORT_CHARTS")+"/"+name+".png", b, 0o644)
		}
	}
}
