package report

import (
	"bytes"
	"fmt"
	"image/color"
	"sync"

	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// Chart is a chart of a report: bars of one or more series over
// categories (horizontal for a ranking), or lines over days; drawn as PNG
// (server-side, for the docx and the PDF) in a CJK font.
type Chart struct {
	Title      string
	Names      []string // categories (or days)
	Series     []ChartSeries
	Horizontal bool
	Lines      bool
}

// ChartSeries is one series of a Chart.
type ChartSeries struct {
	Name   string
	Values []float64
}

var palette = []color.RGBA{{84, 112, 198, 255}, {145, 204, 117, 255}, {250, 200, 88, 255}, {238, 102, 102, 255}, {115, 192, 222, 255}}

var fontMu sync.Mutex

// cjk registers the TrueType font in the plotting library's cache (once:
// the first font given is the charts' font) and returns its name.
func cjk(ttf []byte) (font.Font, error) {
	f := font.Font{Typeface: "ReportCJK"}
	fontMu.Lock()
	defer fontMu.Unlock()
	if font.DefaultCache.Has(f) {
		return f, nil
	}
	face, err := opentype.Parse(ttf)
	if err != nil {
		return f, fmt.Errorf("the report font: %w", err)
	}
	font.DefaultCache.Add(font.Collection{{Font: f, Face: face}})
	return f, nil
}

// PNG draws the chart, w × h centimetres at 150 dpi, in the font ttf.
func (c Chart) PNG(ttf []byte, w, h float64) ([]byte, error) {
	f, err := cjk(ttf)
	if err != nil {
		return nil, err
	}
	p := plot.New()
	for _, st := range []*font.Font{&p.Title.TextStyle.Font, &p.X.Label.TextStyle.Font, &p.Y.Label.TextStyle.Font,
		&p.X.Tick.Label.Font, &p.Y.Tick.Label.Font, &p.Legend.TextStyle.Font} {
		size := st.Size
		*st = f
		st.Size = size
	}
	p.Title.Text = c.Title
	p.Title.TextStyle.Font.Size = vg.Points(12)
	p.Title.Padding = vg.Points(8)
	p.Legend.Top = true
	n := len(c.Series)
	if c.Lines {
		for i, s := range c.Series {
			pts := make(plotter.XYs, len(s.Values))
			for j, v := range s.Values {
				pts[j] = plotter.XY{X: float64(j), Y: v}
			}
			l, err := plotter.NewLine(pts)
			if err != nil {
				return nil, err
			}
			l.Color, l.Width = palette[i%len(palette)], vg.Points(1.5)
			p.Add(l)
			if n > 1 {
				p.Legend.Add(s.Name, l)
			}
		}
		p.NominalX(sparse(c.Names, 10)...)
		p.X.Tick.Label.Rotation = 0
	} else {
		width := vg.Length(w) * vg.Centimeter * 0.6 / vg.Length(max(len(c.Names), 1)*max(n, 1))
		if c.Horizontal {
			width = vg.Length(h) * vg.Centimeter * 0.6 / vg.Length(max(len(c.Names), 1)*max(n, 1))
		}
		for i, s := range c.Series {
			vals := plotter.Values(s.Values)
			if c.Horizontal { // the first on top: the y axis counts upwards
				vals = make(plotter.Values, len(s.Values))
				for j, v := range s.Values {
					vals[len(vals)-1-j] = v
				}
			}
			b, err := plotter.NewBarChart(vals, width)
			if err != nil {
				return nil, err
			}
			b.Color, b.LineStyle.Width, b.Horizontal = palette[i%len(palette)], 0, c.Horizontal
			b.Offset = vg.Length(float64(i)-float64(n-1)/2) * width
			p.Add(b)
			if n > 1 {
				p.Legend.Add(s.Name, b)
			}
		}
		if c.Horizontal {
			names := make([]string, len(c.Names))
			for i := range c.Names { // the first on top
				names[len(c.Names)-1-i] = c.Names[i]
			}
			p.NominalY(names...)
		} else {
			p.NominalX(c.Names...)
			if len(c.Names) > 6 {
				p.X.Tick.Label.Rotation = 0.5
				p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -0.9, -0.5
			}
		}
	}
	canvas := vgimg.NewWith(vgimg.UseWH(vg.Length(w)*vg.Centimeter, vg.Length(h)*vg.Centimeter), vgimg.UseDPI(150))
	p.Draw(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: canvas}).WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sparse keeps about n of the labels, blanking the rest (a month of days).
func sparse(names []string, n int) []string {
	if len(names) <= n {
		return names
	}
	step := (len(names) + n - 1) / n
	out := make([]string, len(names))
	for i := range names {
		if i%step == 0 {
			out[i] = names[i]
		}
	}
	return out
}
