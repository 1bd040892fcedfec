// Package filestest starts an S3-compatible server for tests (gofakes3
// over real HTTP on loopback): the seam of the object-storage option.
package filestest

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 starts a server with the bucket made, stopped when the test ends,
// and returns the store's URL (s3://KEY:SECRET@HOST:PORT/BUCKET/PREFIX).
func S3(t testing.TB, bucket, prefix string) string {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(be).Server())
	t.Cleanup(srv.Close)
	return "s3://test-key:test-secret@" + strings.TrimPrefix(srv.URL, "http://") + "/" + bucket + "/" + prefix + "?tls=false"
}
