package cti

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline"
	"hotline/sqldb"
)

// FreeSWITCH is the event-socket adapter: an outbound connection to
// FreeSWITCH's mod_event_socket that authenticates, subscribes to the call
// centre's events and hands the call events they mean to storage, like the
// webhook does. It reconnects with a growing back-off, and remembers in the
// database how far it got (the switch's Core-UUID and Event-Sequence), so
// that after a reconnect or a restart no event is applied twice.
type FreeSWITCH struct {
	Addr     string // host:port of mod_event_socket
	Password string
	// Name is what the position is kept under ("freeswitch" when empty);
	// a centre with more than one switch names each.
	Name   string
	DB     *sqldb.DB
	Logger *slog.Logger

	// MinBackoff and MaxBackoff bound the wait between connection
	// attempts (defaults 1 s and 30 s); Silence is how long a connection
	// may stay silent — heartbeats included — before it counts as dead
	// (default 60 s; FreeSWITCH beats every 20 s).
	MinBackoff, MaxBackoff, Silence time.Duration

	mu    sync.Mutex
	stats AdapterStats
}

// AdapterStats say how an adapter is doing, for /metrics and the wall.
type AdapterStats struct {
	Connected  bool      `json:"connected"`
	Since      time.Time `json:"since"` // of the current state
	Frames     int64     `json:"frames"`
	Events     int64     `json:"events"`     // call events handed to storage
	Skipped    int64     `json:"skipped"`    // frames at or before the stored position
	Reconnects int64     `json:"reconnects"` // connections made after the first
	LastError  string    `json:"last_error,omitempty"`
}

// ParseFreeSWITCH reads the --cti setting freeswitch://HOST:PORT?password=…
// (port 8021 by default).
func ParseFreeSWITCH(s string) (*FreeSWITCH, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "freeswitch" || u.Hostname() == "" {
		return nil, fmt.Errorf("cti：应为 freeswitch://主机:8021?password=密码")
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "8021")
	}
	pw := u.Query().Get("password")
	if pw == "" {
		return nil, fmt.Errorf("cti：缺少 password 参数（mod_event_socket 的密码）")
	}
	return &FreeSWITCH{Addr: addr, Password: pw}, nil
}

// Stream is the name the adapter's position is kept under. The position
// holds the switch's run (Core-UUID), so a switch moved to another
// address, or restarted, starts afresh by itself.
func (f *FreeSWITCH) Stream() string {
	if f.Name != "" {
		return f.Name
	}
	return "freeswitch"
}

// Stats returns how the adapter is doing.
func (f *FreeSWITCH) Stats() AdapterStats {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stats
}

func (f *FreeSWITCH) update(fn func(*AdapterStats)) {
	f.mu.Lock()
	fn(&f.stats)
	f.mu.Unlock()
}

// Run keeps the adapter connected until ctx ends.
func (f *FreeSWITCH) Run(ctx context.Context) {
	minB, maxB := f.MinBackoff, f.MaxBackoff
	if minB <= 0 {
		minB = time.Second
	}
	if maxB < minB {
		maxB = max(30*time.Second, minB)
	}
	log := f.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	wait := minB
	for attempt := 0; ctx.Err() == nil; attempt++ {
		if attempt > 0 {
			f.update(func(s *AdapterStats) { s.Reconnects++ })
		}
		began := time.Now()
		err := f.session(ctx, log)
		if ctx.Err() != nil {
			return
		}
		f.update(func(s *AdapterStats) { s.Connected, s.Since, s.LastError = false, time.Now(), err.Error() })
		if time.Since(began) > maxB {
			wait = minB // it had been up a while: start over
		}
		jitter := time.Duration(rand.Int64N(int64(wait)/5 + 1))
		log.Warn("telephony event socket disconnected", "addr", f.Addr, "err", err, "retry_in", (wait + jitter).Round(time.Millisecond))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait + jitter):
		}
		wait = min(wait*2, maxB)
	}
}

// session is one connection: authenticate, subscribe, then read events
// until the socket fails or ctx ends.
func (f *FreeSWITCH) session(ctx context.Context, log *slog.Logger) error {
	pos, err := f.DB.StreamPosition(ctx, f.Stream())
	if err != nil {
		return err
	}
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", f.Addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	silence := f.Silence
	if silence <= 0 {
		silence = time.Minute
	}
	r := bufio.NewReaderSize(conn, 64<<10)
	read := func() (Frame, error) {
		conn.SetReadDeadline(time.Now().Add(silence))
		return readFrame(r)
	}
	command := func(cmd, what string) error {
		conn.SetWriteDeadline(time.Now().Add(10 * time.Second))
		if _, err := conn.Write([]byte(cmd + "\n\n")); err != nil {
			return err
		}
		for {
			fr, err := read()
			if err != nil {
				return err
			}
			if fr.Type() == "command/reply" {
				if reply := fr.Header["Reply-Text"]; !strings.HasPrefix(reply, "+OK") {
					return fmt.Errorf("%s refused: %s", what, reply)
				}
				return nil
			}
		}
	}
	greeting, err := read()
	if err != nil {
		return err
	}
	if greeting.Type() != "auth/request" {
		return fmt.Errorf("not an event socket (first frame %q)", greeting.Type())
	}
	if err := command("auth "+f.Password, "auth"); err != nil {
		return err
	}
	if err := command(eslSubscription, "event subscription"); err != nil {
		return err
	}
	f.update(func(s *AdapterStats) { s.Connected, s.Since, s.LastError = true, time.Now(), "" })
	log.Info("telephony event socket connected", "addr", f.Addr, "position", pos.Seq)
	var batch []hotline.CallEvent
	var last sqldb.StreamPosition
	flush := func() error {
		if _, err := f.DB.IngestCallStream(ctx, last, batch); err != nil {
			return err
		}
		f.update(func(s *AdapterStats) { s.Events += int64(len(batch)) })
		pos, batch = last, batch[:0]
		return nil
	}
	for {
		fr, err := read()
		if err != nil {
			if errors.Is(err, net.ErrClosed) && ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		switch fr.Type() {
		case "text/disconnect-notice":
			return fmt.Errorf("the switch closed the socket")
		case "text/event-plain":
		default:
			continue
		}
		e, err := parseEvent(fr.Body)
		if err != nil {
			log.Warn("telephony event socket: unreadable event", "err", err)
			continue
		}
		f.update(func(s *AdapterStats) { s.Frames++ })
		seq, _ := strconv.ParseInt(e.Get("Event-Sequence"), 10, 64)
		origin := e.Get("Core-UUID")
		if origin == pos.Origin && seq <= pos.Seq && seq > 0 {
			f.update(func(s *AdapterStats) { s.Skipped++ })
			continue
		}
		evs := MapFreeSWITCH(e)
		if len(evs) == 0 {
			continue
		}
		for _, ce := range evs {
			if err := ce.Validate(); err != nil {
				log.Warn("telephony event socket: event left out", "field", hotline.ErrorField(err), "why", hotline.ErrorMessage(err))
				continue
			}
			batch = append(batch, ce)
		}
		last = sqldb.StreamPosition{Stream: f.Stream(), Origin: origin, Seq: seq}
		// Apply what has come as soon as nothing more waits in the
		// buffer, or every 500 events in a burst.
		if r.Buffered() == 0 || len(batch) >= 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}
