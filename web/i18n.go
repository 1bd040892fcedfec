package web

import (
	"bufio"
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"

	"hotline"
)

// A locale is a language the pages speak. Chinese is the source language:
// every message is written in Chinese in the code and the templates and is
// its own key, so Chinese needs no catalogue and a message missing from the
// English one shows in Chinese (TestLocale_CatalogueComplete finds those).
type locale struct {
	Name  string // "zh" or "en", the value of the lang cookie
	Tag   string // the HTML lang attribute
	Label string // the language's name in itself, for the switch
	msgs  map[string]string
	forms []form // the messages with format verbs, to translate text formatted earlier
}

// A form matches a message formatted from a catalogue format.
type form struct {
	re     *regexp.Regexp
	format string // the translation
	verbs  []string
}

var (
	zh      = &locale{Name: "zh", Tag: "zh-CN", Label: "中文"}
	en      = newLocale("en", "en", "English", mustCatalogue("locales/en.txt"))
	locales = []*locale{zh, en}
)

var verb = regexp.MustCompile(`%[dsv]`)

func newLocale(name, tag, label string, msgs map[string]string) *locale {
	l := &locale{Name: name, Tag: tag, Label: label, msgs: msgs}
	for k, v := range msgs {
		verbs := verb.FindAllString(k, -1)
		if len(verbs) == 0 {
			continue
		}
		parts := verb.Split(k, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		l.forms = append(l.forms, form{re: regexp.MustCompile("^" + strings.Join(parts, "(.+?)") + "$"), format: v, verbs: verbs})
	}
	// Longer formats first: the more specific pattern wins.
	sort.Slice(l.forms, func(i, j int) bool { return len(l.forms[i].re.String()) > len(l.forms[j].re.String()) })
	return l
}

// mustCatalogue reads a catalogue: one message per line, the Chinese text
// and its translation separated by a tab; # starts a comment line.
func mustCatalogue(name string) map[string]string {
	b, err := assets.ReadFile(name)
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok || k == "" || strings.TrimSpace(v) == "" {
			panic(fmt.Sprintf("%s:%d: want Chinese<TAB>translation", name, n))
		} else if _, dup := out[k]; dup {
			panic(fmt.Sprintf("%s:%d: %q twice", name, n, k))
		}
		out[k] = v
	}
	return out
}

// T translates a message; a value with a Label method (status, action,
// role, channel, appeal kind) is translated by its label.
func (l *locale) T(v any) string {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case interface{ Label() string }:
		s = x.Label()
	default:
		s = fmt.Sprint(v)
	}
	if t, ok := l.msgs[s]; ok {
		return t
	}
	return s
}

// Text translates text that was formatted and stored in Chinese, such as
// an audit entry's detail: a catalogue format that matches it is
// translated with the same arguments.
func (l *locale) Text(s string) string {
	if _, ok := l.msgs[s]; ok || l.forms == nil {
		return l.T(s)
	}
	for _, f := range l.forms {
		m := f.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := make([]any, len(f.verbs))
		for i, v := range m[1:] {
			args[i] = l.T(v)
			if f.verbs[i] == "%d" {
				args[i] = v
			}
		}
		return fmt.Sprintf(strings.ReplaceAll(f.format, "%d", "%s"), args...)
	}
	return s
}

// Tf translates a format and its string arguments, then formats.
func (l *locale) Tf(format string, args ...any) string {
	for i, a := range args {
		if s, ok := a.(string); ok {
			args[i] = l.T(s)
		}
	}
	return fmt.Sprintf(l.T(format), args...)
}

// Err is the user-facing message of err in this locale.
func (l *locale) Err(err error) string {
	return hotline.LocalizedMessage(err, func(s string) string { return l.T(s) })
}

// localeOf is the request's locale: the lang cookie a page visitor chose,
// or for an API client an Accept-Language that starts with en. Chinese
// otherwise: the hotline's staff work in Chinese.
func localeOf(r *http.Request) *locale {
	if c, err := r.Cookie("lang"); err == nil {
		for _, l := range locales {
			if c.Value == l.Name {
				return l
			}
		}
	}
	if strings.HasPrefix(r.URL.Path, "/api/") && strings.HasPrefix(strings.ToLower(r.Header.Get("Accept-Language")), "en") {
		return en
	}
	return zh
}

// handleLang switches the visitor's language and goes back to the page.
func (s *Server) handleLang(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if name != zh.Name && name != en.Name {
		s.errorPage(w, r, hotline.Errorf(hotline.ENotFound, "没有这种语言"))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: name, Path: "/", MaxAge: int(365 * 24 * time.Hour / time.Second),
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}
