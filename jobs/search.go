package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline"
	"hotline/metrics"
	"hotline/sqldb"
)

// TicketIndexer keeps the ticket search index up to date, and after each
// pass proposes merges for the new tickets (sqldb.DB.ProposeMerges). At start it
// indexes what is missing (tickets saved before search existed, or since
// the last run), logging progress every ten seconds; then it indexes new
// tickets Delay after an acceptance is announced — batching a burst of
// acceptances into one pass — and every Interval in any case (changes
// announced while it was busy, other instances' tickets on SQLite files
// shared by tools).
type TicketIndexer struct {
	DB       *sqldb.DB
	Logger   *slog.Logger
	Delay    time.Duration    // default 500 ms
	Interval time.Duration    // default 30 s
	Metrics  *metrics.Metrics // optional
	// AfterPass, if set, runs after every pass (tests wait on it).
	AfterPass func()

	proposed time.Time // last merge proposals
	accepted time.Time // last acceptance announced
}

// Run indexes until ctx ends.
func (ix *TicketIndexer) Run(ctx context.Context) {
	delay, interval := ix.Delay, ix.Interval
	if delay <= 0 {
		delay = 500 * time.Millisecond
	}
	if interval <= 0 {
		interval = 30 * time.Second
	}
	changes, stop := ix.DB.Subscribe()
	defer stop()
	// The segmenter is needed by the first search and merge proposals:
	// loaded now, not in the middle of a burst of calls.
	if err := ix.DB.LoadAnalyzer(ctx); err != nil && ctx.Err() == nil {
		ix.Logger.Error("load the search dictionary", "err", err)
	}
	ix.pass(ctx, true)
	tick := time.NewTicker(interval)
	defer tick.Stop()
	var soon <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-changes:
			if c.Action == hotline.ActionAccept {
				ix.accepted = ix.DB.Now()
				if soon == nil {
					soon = time.After(delay)
				}
			}
		case <-soon:
			soon = nil
			if ix.pass(ctx, false) {
				// Merge proposals waited for the calls to pause: look
				// again when they may have.
				soon = time.After(2 * time.Second)
			}
		case <-tick.C:
			ix.pass(ctx, false)
		}
	}
}

// pass indexes what is missing: at start on every core with progress in
// the log, later gently (see sqldb.DB.IndexNewTickets).
func (ix *TicketIndexer) pass(ctx context.Context, verbose bool) (postponed bool) {
	if ix.AfterPass != nil {
		defer ix.AfterPass()
	}
	now := ix.DB.Now // the injected clock: tests set it
	start, last := now(), now()
	var err error
	if verbose {
		err = ix.DB.IndexTickets(ctx, func(done, total int) {
			if now().Sub(last) > 10*time.Second || done == total {
				ix.Logger.Info("indexing tickets for search", "done", done, "total", total)
				last = now()
			}
		})
	} else {
		// Ten tickets a transaction while calls keep coming (fifty held
		// the writer long enough to add 15 ms to the slowest
		// acceptances); two hundred once they pause.
		per := 200
		if now().Sub(ix.accepted) < 2*time.Second {
			per = 10
		}
		err = ix.DB.IndexNewTickets(ctx, per)
	}
	if ix.Metrics != nil {
		ix.Metrics.JobRuns.WithLabelValues("indexer").Observe(now().Sub(start).Seconds())
		if n, err := ix.DB.IndexBacklog(ctx); err == nil {
			ix.Metrics.Backlog.WithLabelValues("indexer").Set(float64(n))
		}
	}
	if err != nil && ctx.Err() == nil {
		ix.Logger.Error("index tickets", "err", err)
		return false
	}
	// New tickets waiting for dispatch: their likely duplicates, for the
	// dispatcher's queue. Comparing costs a millisecond or two a ticket,
	// and in a burst of calls accepting them comes first: while tickets
	// keep coming, 20 every ten seconds; once they pause for two seconds,
	// all the rest, 100 a run.
	postponed = now().Sub(ix.accepted) < 2*time.Second
	if postponed && now().Sub(ix.proposed) < 10*time.Second {
		return postponed
	}
	ix.proposed = now()
	limit := 100
	if postponed {
		limit = 20
	}
	for more := true; more && ctx.Err() == nil; {
		var n int
		if n, more, err = ix.DB.ProposeMerges(ctx, limit); err != nil {
			if ctx.Err() == nil {
				ix.Logger.Error("propose merges", "err", err)
			}
			break
		} else if n > 0 {
			ix.Logger.Debug("merge proposals", "found", n)
		}
		more = more && !postponed
	}
	if verbose {
		ix.Logger.Debug("ticket index up to date", "took", now().Sub(start))
	}
	return postponed
}
