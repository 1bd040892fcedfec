package cti

import (
	"bufio"
	"strconv"
	"strings"
	"testing"
)

// TestReadFrame_EventWithBody: the envelope's Content-Length covers the
// event, whose own Content-Length covers its body; values are URL-decoded.
func TestReadFrame_EventWithBody(t *testing.T) {
	text := "您好：\n这是一条短信。\n"
	body := "Event-Name: CUSTOM\nEvent-Subclass: sms%3A%3Asend_message\nCC-Member-CID-Name: %E5%BC%A0%E4%B8%89\n" +
		"Odd: 100%\nContent-Length: " + strconv.Itoa(len(text)) + "\n\n" + text
	raw := "\nContent-Length: " + strconv.Itoa(len(body)) + "\nContent-Type: text/event-plain\n\n" + body +
		"Content-Type: command/reply\nReply-Text: +OK\n\n"
	r := bufio.NewReader(strings.NewReader(raw))
	f, err := readFrame(r)
	if err != nil || f.Type() != "text/event-plain" {
		t.Fatalf("frame %+v, %v", f, err)
	}
	e, err := parseEvent(f.Body)
	if err != nil {
		t.Fatal(err)
	}
	if e.Get("Event-Subclass") != "sms::send_message" || e.Get("CC-Member-CID-Name") != "张三" || e.Get("Odd") != "100%" {
		t.Errorf("headers %v", e.Header)
	}
	if e.Body != text {
		t.Errorf("body %q", e.Body)
	}
	if next, err := readFrame(r); err != nil || next.Header["Reply-Text"] != "+OK" {
		t.Errorf("the frame after: %+v, %v", next, err)
	}
	if MapFreeSWITCH(e) != nil {
		t.Error("an SMS event mapped to call events")
	}
}

// TestReadFrame_Bad: a Content-Length that is no number, or longer than
// what comes, is an error, not a hang or a panic.
func TestReadFrame_Bad(t *testing.T) {
	for _, raw := range []string{"Content-Length: x\n\n", "Content-Length: 99\n\nshort", "Content-Length: -1\n\n"} {
		if _, err := readFrame(bufio.NewReader(strings.NewReader(raw))); err == nil {
			t.Errorf("%q read without an error", raw)
		}
	}
	if _, err := parseEvent([]byte("Content-Length: 50\n\nshort")); err == nil {
		t.Error("an event body shorter than its length")
	}
}
