package files

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
)

// Types the centre accepts by default (configurable): photos, PDF, Word
// and Excel documents, plain text.
var DefaultTypes = []string{"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf",
	DocxType, XlsxType, "text/plain"}

// Office Open XML types: their content is a zip, told apart by name and by
// the part inside.
const (
	DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Sniff returns the type of a file from its bytes, never from what the
// client said: net/http's content sniffing (WHATWG), with zip files that
// are Word or Excel documents named as such.
func Sniff(name string, data []byte) string {
	t := http.DetectContentType(data)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	if t == "application/zip" {
		head := data[:min(len(data), 4096)]
		switch {
		case strings.EqualFold(filepath.Ext(name), ".docx") && bytes.Contains(data, []byte("word/")):
			return DocxType
		case strings.EqualFold(filepath.Ext(name), ".xlsx") && bytes.Contains(data, []byte("xl/")):
			return XlsxType
		case bytes.Contains(head, []byte("[Content_Types].xml")) && bytes.Contains(data, []byte("word/")):
			return DocxType
		}
	}
	return t
}

// Policy is what the centre accepts as an attachment.
type Policy struct {
	MaxBytes int64    // 10 MB by default
	Types    []string // sniffed types allowed
}

// DefaultPolicy is 10 MB of DefaultTypes.
func DefaultPolicy() Policy { return Policy{MaxBytes: 10 << 20, Types: DefaultTypes} }

// Refusal is why a file is refused: a message format (Chinese, naming the
// file first) and its arguments, for the caller to make its own error of
// (and translate).
type Refusal struct {
	Format string
	Args   []any
}

// Error implements error.
func (r *Refusal) Error() string { return fmt.Sprintf(r.Format, r.Args...) }

// Check returns the sniffed type of an upload, or a *Refusal saying why it
// is refused.
func (p Policy) Check(name string, data []byte) (string, error) {
	if len(data) == 0 {
		return "", &Refusal{"%s：文件是空的", []any{name}}
	} else if p.MaxBytes > 0 && int64(len(data)) > p.MaxBytes {
		return "", &Refusal{"%s：文件不能超过 %d MB", []any{name, p.MaxBytes >> 20}}
	}
	t := Sniff(name, data)
	for _, ok := range p.Types {
		if ok == t {
			return t, nil
		}
	}
	return "", &Refusal{"%s：不支持的文件类型（%s），可上传 %s", []any{name, t, p.Kinds()}}
}

// Kinds names the accepted types for people.
func (p Policy) Kinds() string {
	names := map[string]string{"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WebP",
		"application/pdf": "PDF", DocxType: "Word (docx)", XlsxType: "Excel (xlsx)", "text/plain": "TXT"}
	var out []string
	for _, t := range p.Types {
		if n := names[t]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, t)
		}
	}
	return strings.Join(out, ", ")
}
