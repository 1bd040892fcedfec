package files

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3 is a Store in a bucket of S3-compatible object storage (MinIO, Ceph,
// the clouds' object stores), through minio-go: one object per key under
// Prefix. Like Dir it only ever holds ciphertext.
type S3 struct {
	Client *minio.Client
	Bucket string
	Prefix string // "" or ending in "/"
}

var _ Store = (*S3)(nil)

// OpenS3 opens the store a URL names:
// s3://ACCESS_KEY:SECRET@HOST:PORT/BUCKET[/PREFIX][?tls=false&region=R].
// Without credentials in the URL they come from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY. The bucket must exist; nothing is created.
func OpenS3(ctx context.Context, raw string) (*S3, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return nil, fmt.Errorf("attachments：对象存储地址应为 s3://访问密钥:私钥@主机:端口/桶[/前缀]")
	}
	bucket, prefix, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	if bucket == "" {
		return nil, fmt.Errorf("attachments：对象存储地址缺少桶名（s3://…@主机:端口/桶）")
	}
	if prefix != "" {
		prefix += "/"
	}
	creds := credentials.NewEnvAWS()
	if u.User != nil {
		secret, _ := u.User.Password()
		creds = credentials.NewStaticV4(u.User.Username(), secret, "")
	}
	q := u.Query()
	client, err := minio.New(u.Host, &minio.Options{Creds: creds, Secure: q.Get("tls") != "false", Region: q.Get("region")})
	if err != nil {
		return nil, fmt.Errorf("attachments：%v", err)
	}
	ok, err := client.BucketExists(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("attachments：连不上对象存储 %s：%s", u.Host, s3Reason(err))
	} else if !ok {
		return nil, fmt.Errorf("attachments：对象存储 %s 上没有桶 %s", u.Host, bucket)
	}
	return &S3{Client: client, Bucket: bucket, Prefix: prefix}, nil
}

// s3Reason is an error of the store without the request's details.
func s3Reason(err error) string {
	if r := minio.ToErrorResponse(err); r.Code != "" {
		return r.Code
	}
	return err.Error()
}

func (s *S3) object(key string) (string, error) {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") {
		return "", fmt.Errorf("bad file key %q", key)
	}
	return s.Prefix + key, nil
}

// Put implements Store: the object is written whole or not at all (an
// S3 PUT is atomic), acknowledged once stored.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	_, err = s.Client.PutObject(ctx, s.Bucket, name, bytes.NewReader(data), int64(len(data)),
		minio.PutObjectOptions{ContentType: "application/octet-stream"})
	return err
}

// Get implements Store.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	obj, err := s.Client.GetObject(ctx, s.Bucket, name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s.notFound(err)
	}
	defer obj.Close()
	b, err := io.ReadAll(obj)
	if err != nil {
		return nil, s.notFound(err)
	}
	return b, nil
}

func (s *S3) notFound(err error) error {
	if minio.ToErrorResponse(err).Code == "NoSuchKey" {
		return ErrNotFound
	}
	return err
}

// Delete implements Store; a missing key is no error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	err = s.Client.RemoveObject(ctx, s.Bucket, name, minio.RemoveObjectOptions{})
	if errors.Is(s.notFound(err), ErrNotFound) {
		return nil
	}
	return err
}
