package report

// Doc is a report as a sequence of blocks, written to docx (WriteDOCX)
// and PDF (WritePDF) alike.
type Doc struct {
	Title    string
	Subtitle string // the period and who issues it
	Blocks   []Block
}

// Block is one part of a Doc: exactly one of its fields is set.
type Block struct {
	Heading string // a section heading (一、总体情况)
	Text    string // a paragraph
	Table   *Table
	Image   *Image
	// Editable marks a paragraph the analyst wrote (分析与建议), shown as
	// such where the report is edited; the generated numbers are not.
	Editable bool
}

// Table is a table with a header row.
type Table struct {
	Columns []string
	Rows    [][]string
}

// Image is a chart drawn as PNG, with its size on the page in centimetres.
type Image struct {
	PNG       []byte
	W, H      float64
	AltText   string
	Numbering int // set by the writers
}

// Add appends blocks to the document.
func (d *Doc) Add(b ...Block) { d.Blocks = append(d.Blocks, b...) }

// Heading, Para, TableBlock and ImageBlock are the blocks.
func Heading(s string) Block { return Block{Heading: s} }

// Para is a paragraph.
func Para(s string) Block { return Block{Text: s} }

// TableBlock is a table.
func TableBlock(columns []string, rows [][]string) Block {
	return Block{Table: &Table{Columns: columns, Rows: rows}}
}

// ImageBlock is a chart.
func ImageBlock(png []byte, w, h float64, alt string) Block {
	return Block{Image: &Image{PNG: png, W: w, H: h, AltText: alt}}
}
