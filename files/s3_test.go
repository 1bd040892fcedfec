package files_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/minio/minio-go/v7"

	"hotline/files"
	"hotline/files/filestest"
)

// The object store against an S3 server: put, get, replace, delete, a
// missing key, bad keys; a missing bucket or a bad address is refused
// with the reason.
func TestS3(t *testing.T) {
	ctx := context.Background()
	url := filestest.S3(t, "hotline", "pingxiang")
	s, err := files.OpenS3(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	var _ files.Store = s
	key := files.NewKey("r/7")
	if err := s.Put(ctx, key, []byte("sealed audio")); err != nil {
		t.Fatal(err)
	}
	if b, err := s.Get(ctx, key); err != nil || string(b) != "sealed audio" {
		t.Fatalf("get %q, %v", b, err)
	}
	info, err := s.Client.StatObject(ctx, "hotline", "pingxiang/"+key, minio.StatObjectOptions{})
	if err != nil || info.Size != int64(len("sealed audio")) {
		t.Errorf("the object under the prefix: %+v, %v", info, err)
	}
	if err := s.Put(ctx, key, []byte("again")); err != nil {
		t.Fatal(err)
	}
	if b, _ := s.Get(ctx, key); string(b) != "again" {
		t.Errorf("after a replace: %q", b)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, key); !errors.Is(err, files.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", ""} {
		if err := s.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("key %q accepted", bad)
		}
	}
	noBucket := strings.Replace(url, "/hotline/", "/missing/", 1)
	if _, err := files.OpenS3(ctx, noBucket); err == nil || !strings.Contains(err.Error(), "没有桶 missing") {
		t.Errorf("a missing bucket: %v", err)
	}
	for _, bad := range []string{"s3://host:9000", "http://host/bucket", "s3:///bucket"} {
		if _, err := files.OpenS3(ctx, bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
