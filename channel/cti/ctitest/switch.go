// Package ctitest holds a fake FreeSWITCH event socket for tests: the
// seam of the telephony adapter, as a local server.
package ctitest

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
)

// RecordedFrames reads a file of recorded event frames (event bodies as
// the switch sent them, each ended by a line "-----"; lines starting
// with # are comments).
func RecordedFrames(t testing.TB, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, part := range strings.Split(string(b), "\n-----\n") {
		var lines []string
		for _, l := range strings.Split(part, "\n") {
			if !strings.HasPrefix(l, "#") {
				lines = append(lines, l)
			}
		}
		if body := strings.Join(lines, "\n"); strings.TrimSpace(body) != "" {
			out = append(out, strings.TrimLeft(body, "\n")+"\n")
		}
	}
	return out
}

// Switch is mod_event_socket as far as the adapter sees it: it asks
// for the password, accepts the subscription and replays frames. Each
// connection follows the next plan: send that many frames, then drop the
// connection (-1: send them all and stay connected).
type Switch struct {
	ln       net.Listener
	password string
	frames   []string
	mu       sync.Mutex
	plans    []int
	conns    int
	subs     []string
}

// StartSwitch starts a fake switch on a loopback port, closed when the
// test ends.
func StartSwitch(t testing.TB, password string, frames []string, plans ...int) *Switch {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Switch{ln: ln, password: password, frames: frames, plans: plans}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			plan := -1
			if s.conns < len(s.plans) {
				plan = s.plans[s.conns]
			}
			s.conns++
			s.mu.Unlock()
			go s.serve(c, plan)
		}
	}()
	return s
}

// Addr is the switch's host:port.
func (s *Switch) Addr() string { return s.ln.Addr().String() }

// Connections counts the connections accepted so far.
func (s *Switch) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conns
}

func readCommand(r *bufio.Reader) (string, error) {
	var lines []string
	for {
		l, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if l = strings.TrimRight(l, "\r\n"); l == "" {
			if len(lines) > 0 {
				return strings.Join(lines, "\n"), nil
			}
			continue
		}
		lines = append(lines, l)
	}
}

func (s *Switch) serve(c net.Conn, plan int) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "Content-Type: auth/request\n\n")
	cmd, err := readCommand(r)
	if err != nil {
		return
	}
	if cmd != "auth "+s.password {
		fmt.Fprint(c, "Content-Type: command/reply\nReply-Text: -ERR invalid\n\n")
		fmt.Fprint(c, "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n")
		return
	}
	fmt.Fprint(c, "Content-Type: command/reply\nReply-Text: +OK accepted\n\n")
	if cmd, err = readCommand(r); err != nil {
		return
	}
	s.mu.Lock()
	s.subs = append(s.subs, cmd)
	s.mu.Unlock()
	fmt.Fprint(c, "Content-Type: command/reply\nReply-Text: +OK event listener enabled plain\n\n")
	n := plan
	if n < 0 || n > len(s.frames) {
		n = len(s.frames)
	}
	for _, f := range s.frames[:n] {
		if _, err := fmt.Fprintf(c, "Content-Length: %d\nContent-Type: text/event-plain\n\n%s", len(f), f); err != nil {
			return
		}
	}
	if plan >= 0 {
		return // dropped
	}
	buf := make([]byte, 1)
	c.Read(buf) // until the adapter goes
}

// Subscriptions are the event commands the connections sent.
func (s *Switch) Subscriptions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.subs...)
}
