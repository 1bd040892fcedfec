package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"hotline"
)

// ssePing keeps idle event streams (and proxies in between) alive.
const ssePing = 25 * time.Second

// sseRecheck is how often an open stream re-checks its session besides
// the notice it gets when the user's account or sessions change (which
// closes it at once, on every instance): this catches expiry, idleness and
// a change made by another process on the same SQLite file.
const sseRecheck = 5 * time.Second

// handleEvents streams the ticket changes the viewer may know of as
// server-sent events ("event: ticket"), for live queues, and to an agent
// the calls it answers ("event: call", a screen pop), and to the centre's
// managers that an early warning was raised or handled ("event: warning"). On PostgreSQL the
// changes of every instance arrive (LISTEN/NOTIFY).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	a, sess := actorFrom(r), sessionFrom(r)
	// valid reports whether the session still stands and the user is the
	// same as when the stream opened (a changed role or unit sees other
	// tickets: the browser reconnects with the new one).
	valid := func() bool {
		u, err := s.DB.SessionUser(r.Context(), sess.ID)
		return err == nil && u.Role == a.Role && u.UnitID == a.UnitID && !u.MustChangePassword
	}
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	changes, stop := s.DB.Subscribe()
	defer stop()
	if s.Metrics != nil {
		s.Metrics.Streams.Inc()
		defer s.Metrics.Streams.Dec()
	}
	write := func(format string, args ...any) bool {
		rc.SetWriteDeadline(time.Now().Add(time.Minute)) // the server's write timeout would end the stream
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if !write("retry: 3000\n: connected\n\n") {
		return
	}
	ping, recheck := time.NewTicker(ssePing), time.NewTicker(sseRecheck)
	defer ping.Stop()
	defer recheck.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.stopping:
			return
		case <-ping.C:
			if !write(": ping\n\n") {
				return
			}
		case <-recheck.C:
			if !valid() {
				return
			}
		case c := <-changes:
			if c.UserID == a.UserID && c.UserID != 0 && !valid() {
				return
			}
			if c.Wall {
				if a.Role.Has(hotline.PermCallStats) && !write("event: wall\ndata: {}\n\n") {
					return
				}
				continue
			}
			if c.Warning {
				if a.Role.Has(hotline.PermStats) && !write("event: warning\ndata: {}\n\n") {
					return
				}
				continue
			}
			if c.Call != "" {
				if c.Agent == a.UserID { // the agent just answered it: a screen pop
					b, _ := json.Marshal(map[string]any{"call_id": c.Call})
					if !write("event: call\ndata: %s\n\n", b) {
						return
					}
				}
				continue
			}
			if !c.VisibleTo(a) {
				continue
			}
			b, _ := json.Marshal(map[string]any{"ticket_id": c.TicketID, "status": c.Status, "action": c.Action})
			if !write("event: ticket\ndata: %s\n\n", b) {
				return
			}
		}
	}
}
