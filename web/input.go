package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"hotline"
)

// Input hygiene in one place: every text that comes from outside passes
// hotline.CheckInput once, before any handler sees it — query parameters
// and form fields here (from ServeHTTP), JSON strings in decode. A bad
// field is a 400 naming it, and nothing has been changed yet.

// checkRequest checks a request's query and, for a URL-encoded form, its
// body. It leaves the body readable for the handler.
func checkRequest(r *http.Request) error {
	if err := checkValues(r.URL.Query()); err != nil {
		return err
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Body == nil {
		return nil
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		return nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return hotline.Invalid(lastFormKey(body), "请求体超过 %d 字节", maxErr.Limit)
	} else if err != nil {
		return hotline.Invalid("body", "请求体读取失败")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return hotline.Invalid(lastFormKey(body), "表单编码错误")
	}
	return checkValues(form)
}

func checkValues(v url.Values) error {
	for k, vs := range v {
		if err := hotline.CheckInput("parameter", k); err != nil {
			return err
		}
		for _, s := range vs {
			if err := hotline.CheckInput(k, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// lastFormKey names the field a cut-off form body was in the middle of.
func lastFormKey(body []byte) string {
	if i := bytes.LastIndexByte(body, '&'); i >= 0 {
		body = body[i+1:]
	}
	k, _, _ := bytes.Cut(body, []byte("="))
	if name, err := url.QueryUnescape(string(k)); err == nil && name != "" && hotline.CheckInput("", name) == nil && len(name) <= 64 {
		return name
	}
	return "body"
}

// readBody reads a JSON body up to the server's limit; past it, the error
// names the field being read when the limit was hit.
func readBody(r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(r.Body)
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return nil, hotline.Invalid(lastJSONKey(body), "请求体超过 %d 字节", maxErr.Limit)
	} else if err != nil {
		return nil, hotline.Invalid("body", "请求体读取失败")
	}
	return body, nil
}

// lastJSONKey follows a cut-off JSON document token by token and returns
// the path of the key whose value it ends in ("requester.name"), or "body".
func lastJSONKey(prefix []byte) string {
	dec := json.NewDecoder(bytes.NewReader(prefix))
	type level struct {
		object bool
		key    string
		want   bool // the next string token is a key
	}
	var stack []level
	path := func() string {
		var parts []string
		for _, l := range stack {
			if l.object && l.key != "" {
				parts = append(parts, l.key)
			}
		}
		if len(parts) == 0 {
			return "body"
		}
		return strings.Join(parts, ".")
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return path()
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, level{object: true, want: true})
			case '[':
				stack = append(stack, level{})
			default:
				stack = stack[:top]
				if top > 0 && stack[top-1].object {
					stack[top-1].want = true
				}
			}
		case string:
			if top >= 0 && stack[top].object && stack[top].want {
				stack[top].key, stack[top].want = t, false
			} else if top >= 0 && stack[top].object {
				stack[top].want = true
			}
		default:
			if top >= 0 && stack[top].object {
				stack[top].want = true
			}
		}
	}
}

// checkStrings runs CheckInput over every string in a decoded JSON value,
// naming each by its JSON path ("requester.name", "synonyms").
func checkStrings(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return checkStrings(v.Elem(), path)
		}
	case reflect.String:
		return hotline.CheckInput(path, v.String())
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := checkStrings(v.Index(i), path); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			k := it.Key().String()
			if err := hotline.CheckInput(joinPath(path, "key"), k); err != nil {
				return err
			}
			if err := checkStrings(it.Value(), joinPath(path, k)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if f.Anonymous && name == "" {
				if err := checkStrings(v.Field(i), path); err != nil {
					return err
				}
				continue
			}
			if name == "" {
				name = f.Name
			}
			if err := checkStrings(v.Field(i), joinPath(path, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Largest page number a list accepts: past it a list is searched, not paged.
const maxPage = 10_000

// parsePage reads a 1-based page number strictly: absent is 1; anything
// but an integer from 1 to maxPage is an error naming the parameter.
func parsePage(q url.Values, name string) (int, error) {
	v := q.Get(name)
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > maxPage {
		return 0, hotline.Invalid(name, "页码应为 1 到 %d 之间的整数", maxPage)
	}
	return n, nil
}

// pageParams reads page and page_size (0: the list's default; at most 200).
func pageParams(q url.Values) (page, size int, err error) {
	if page, err = parsePage(q, "page"); err != nil {
		return 0, 0, err
	}
	if v := q.Get("page_size"); v != "" {
		if size, err = strconv.Atoi(v); err != nil || size < 1 || size > 200 {
			return 0, 0, hotline.Invalid("page_size", "每页条数应为 1 到 200 之间的整数")
		}
	}
	return page, size, nil
}

// parseID reads a positive decimal id strictly: "198abc", "+1" and "01"
// are not ids.
func parseID(s string) (int64, bool) {
	if s == "" || s[0] < '1' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
