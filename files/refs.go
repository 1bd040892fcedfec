package files

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Refs reads recordings the telephony platform keeps itself and names by
// reference (a path or URL in its events): from one directory (the
// switch's recordings, mounted here) and/or under one base URL (its
// recording server). A reference outside both is not read: the platform's
// events cannot make the server read any file or fetch any address.
type Refs struct {
	Dir     string       // e.g. /var/lib/freeswitch/recordings
	BaseURL string       // e.g. https://pbx.example/recordings/
	Client  *http.Client // nil: a client with a one-minute timeout
}

// Allows reports whether a reference can be read (no I/O: whether it lies
// under Dir or BaseURL).
func (r Refs) Allows(ref string) bool {
	_, _, ok := r.locate(ref)
	return ok
}

// locate gives the file or URL a reference names, if allowed.
func (r Refs) locate(ref string) (path, url string, ok bool) {
	switch {
	case ref == "" || strings.ContainsAny(ref, "\x00\\"):
		return "", "", false
	case strings.HasPrefix(ref, "http://") || strings.HasPrefix(ref, "https://"):
		if r.BaseURL == "" || !strings.HasPrefix(ref, strings.TrimSuffix(r.BaseURL, "/")+"/") || strings.Contains(ref, "/../") ||
			strings.ContainsAny(ref, "?#@") {
			return "", "", false
		}
		return "", ref, true
	case r.Dir != "":
		root, err := filepath.Abs(r.Dir)
		if err != nil {
			return "", "", false
		}
		p := ref
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		p = filepath.Clean(p)
		if rel, err := filepath.Rel(root, p); err != nil || rel == "." || strings.HasPrefix(rel, "..") {
			return "", "", false
		}
		return p, "", true
	}
	return "", "", false
}

// Open reads the recording a reference names, at most max bytes.
// ErrNotFound: not allowed, or not there.
func (r Refs) Open(ctx context.Context, ref string, max int64) ([]byte, error) {
	path, url, ok := r.locate(ref)
	if !ok {
		return nil, ErrNotFound
	}
	if path != "" {
		if st, err := os.Lstat(path); err != nil || !st.Mode().IsRegular() {
			return nil, ErrNotFound // symbolic links are not followed out of the directory
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, ErrNotFound
		}
		defer f.Close()
		return readMax(f, max)
	}
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, ErrNotFound
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("recording server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, ErrNotFound
	} else if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("recording server: %s", resp.Status)
	}
	return readMax(resp.Body, max)
}

func readMax(rd io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(rd, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, errors.New("recording too large")
	}
	return b, nil
}
