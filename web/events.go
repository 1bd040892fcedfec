package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// ssePing keeps idle event streams (and proxies in between) alive.
const ssePing = 25 * time.Second

// handleEvents streams the ticket changes the viewer may know of as
// server-sent events ("event: ticket"), for live queues. On PostgreSQL the
// changes of every instance arrive (LISTEN/NOTIFY).
func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	changes, stop := s.DB.Subscribe()
	defer stop()
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
	ping := time.NewTicker(ssePing)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-ping.C:
			if !write(": ping\n\n") {
				return
			}
		case c := <-changes:
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
