package cti

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
)

// Frame is one message of FreeSWITCH's event socket (mod_event_socket):
// its envelope headers ("Content-Type: text/event-plain", "Reply-Text:
// +OK accepted", …) and the body its Content-Length announced.
type Frame struct {
	Header map[string]string
	Body   []byte
}

// Type is the frame's Content-Type (auth/request, command/reply,
// text/event-plain, text/disconnect-notice, …).
func (f Frame) Type() string { return f.Header["Content-Type"] }

// maxFrame bounds a frame's body: FreeSWITCH's events are a few kB, a
// channel event with every variable some tens.
const maxFrame = 4 << 20

// readFrame reads one frame: header lines up to a blank line, then the
// body when Content-Length says so.
func readFrame(r *bufio.Reader) (Frame, error) {
	f := Frame{Header: map[string]string{}}
	lines := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return f, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			if lines == 0 {
				continue // stray blank lines between frames
			}
			break
		}
		lines++
		if k, v, ok := strings.Cut(line, ":"); ok {
			f.Header[k] = strings.TrimSpace(v)
		}
	}
	if cl := f.Header["Content-Length"]; cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 || n > maxFrame {
			return f, fmt.Errorf("event socket: bad Content-Length %q", cl)
		}
		f.Body = make([]byte, n)
		if _, err := io.ReadFull(r, f.Body); err != nil {
			return f, err
		}
	}
	return f, nil
}

// Event is an event of the plain format: its headers, URL-decoded, and
// the event's own body (a message's text) when it has one.
type Event struct {
	Header map[string]string
	Body   string
}

// Get returns a header, "" when missing.
func (e Event) Get(name string) string { return e.Header[name] }

// parseEvent reads a text/event-plain body: "Name: url-encoded value"
// lines, a blank line, and as many bytes of body as the event's own
// Content-Length says.
func parseEvent(b []byte) (Event, error) {
	e := Event{Header: map[string]string{}}
	s := string(b)
	for s != "" {
		var line string
		line, s, _ = strings.Cut(s, "\n")
		line = strings.TrimRight(line, "\r")
		if line == "" {
			break
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			return e, fmt.Errorf("event socket: header line without a colon: %.40q", line)
		}
		dv, err := url.PathUnescape(strings.TrimSpace(v))
		if err != nil {
			dv = strings.TrimSpace(v) // FreeSWITCH leaves a lone % as it is
		}
		e.Header[k] = dv
	}
	if cl := e.Header["Content-Length"]; cl != "" {
		n, err := strconv.Atoi(cl)
		if err != nil || n < 0 || n > len(s) {
			return e, fmt.Errorf("event socket: event body of %q bytes, %d there", cl, len(s))
		}
		e.Body = s[:n]
	}
	return e, nil
}
