// Package files keeps attachment files: a small storage seam (Store) with
// a directory implementation under the data directory, content sniffing
// against an allowed list and image thumbnails. Storage (sqldb) seals the
// bytes before they reach a Store, so a Store only ever holds ciphertext.
package files

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Store keeps files by key. An S3-compatible store can implement it later;
// keys are slash-separated ASCII paths made by NewKey.
type Store interface {
	Put(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// ErrNotFound is a missing key.
var ErrNotFound = errors.New("file not found")

// NewKey returns a fresh random key under prefix, e.g. "t/42/9f…".
func NewKey(prefix string) string {
	b := make([]byte, 16)
	rand.Read(b)
	return prefix + "/" + hex.EncodeToString(b)
}

// Dir is a Store in a directory (by default DATA_DIR/attachments): one
// file per key, written to a temporary file, synced and renamed, so that a
// file acknowledged survives a crash and a half-written one is never seen.
type Dir struct{ Root string }

var _ Store = Dir{}

func (d Dir) path(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.ContainsAny(key, "\\\x00") || filepath.IsAbs(key) {
		return "", fmt.Errorf("bad file key %q", key)
	}
	return filepath.Join(d.Root, filepath.FromSlash(key)), nil
}

// Put implements Store.
func (d Dir) Put(_ context.Context, key string, data []byte) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), p); err != nil {
		return err
	}
	if dir, err := os.Open(filepath.Dir(p)); err == nil { // the rename itself
		dir.Sync()
		dir.Close()
	}
	return nil
}

// Get implements Store.
func (d Dir) Get(_ context.Context, key string) ([]byte, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	return b, err
}

// Delete implements Store; a missing key is not an error.
func (d Dir) Delete(_ context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
