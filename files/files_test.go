package files_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hotline/files"
)

func pngOf(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{200, 0, 0, 255})
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func docx(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "word/document.xml"} {
		w, _ := z.Create(name)
		w.Write([]byte("<x/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSniff_ByContentNotName(t *testing.T) {
	p := files.DefaultPolicy()
	for _, c := range []struct {
		name string
		data []byte
		want string // "" refused
	}{
		{"photo.jpg", pngOf(4, 4), "image/png"}, // named jpg, is a PNG
		{"scan.pdf", []byte("%PDF-1.7\n1 0 obj"), "application/pdf"},
		{"letter.docx", docx(t), files.DocxType},
		{"note.txt", []byte("凤凰街停水两天"), "text/plain"},
		{"photo.png", []byte("<html><script>alert(1)</script></html>"), ""}, // HTML named png
		{"run.pdf", append([]byte("MZ\x90\x00"), make([]byte, 64)...), ""},
		{"empty.png", nil, ""},
		{"big.png", append(pngOf(2, 2), make([]byte, 10<<20)...), ""},
	} {
		got, err := p.Check(c.name, c.data)
		if c.want == "" {
			var r *files.Refusal
			if !errors.As(err, &r) || !strings.Contains(err.Error(), c.name) {
				t.Errorf("%s: accepted as %q (%v), want a refusal naming the file", c.name, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s: %q, %v; want %s", c.name, got, err, c.want)
		}
	}
}

func TestThumbnail(t *testing.T) {
	th := files.Thumbnail("image/png", pngOf(1200, 600))
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(th))
	if err != nil || cfg.Width != files.ThumbSize || cfg.Height != files.ThumbSize/2 {
		t.Fatalf("thumbnail %dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, files.ThumbSize, files.ThumbSize/2)
	}
	if files.Thumbnail("application/pdf", []byte("%PDF")) != nil || files.Thumbnail("image/png", []byte("not a png")) != nil {
		t.Error("a thumbnail of something that is not a picture")
	}
}

func TestDir(t *testing.T) {
	ctx := context.Background()
	d := files.Dir{Root: t.TempDir()}
	key := files.NewKey("t/1")
	if err := d.Put(ctx, key, []byte("sealed")); err != nil {
		t.Fatal(err)
	}
	if b, err := d.Get(ctx, key); err != nil || string(b) != "sealed" {
		t.Fatalf("get %q, %v", b, err)
	}
	if st, err := os.Stat(filepath.Join(d.Root, filepath.FromSlash(key))); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v (%v), want 0600", st.Mode().Perm(), err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(d.Root, "t", "1", ".put-*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	if err := d.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Get(ctx, key); !errors.Is(err, files.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "", "a\\b"} {
		if err := d.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
}
