package jobs

import (
	"context"
	"log/slog"
	"time"

	"hotline"
	"hotline/channel/sms"
	"hotline/sqldb"
)

// SMSNotifier texts the citizens of concluded tickets the reply's summary
// and asks them to rate it (回复1满意 2基本满意 3不满意), once per
// ticket, every Interval; one instance at a time (a lease).
type SMSNotifier struct {
	DB       *sqldb.DB
	SMS      sms.Gateway
	Logger   *slog.Logger
	Interval time.Duration // default 1 min
}

// Run texts at once and then every Interval until ctx ends.
func (n *SMSNotifier) Run(ctx context.Context) {
	every := n.Interval
	if every <= 0 {
		every = time.Minute
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if sent, err := n.Once(ctx); err != nil && ctx.Err() == nil {
			n.Logger.Error("sms notices", "err", err)
		} else if sent > 0 {
			n.Logger.Info("sms notices sent", "tickets", sent)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once texts the tickets concluded in the last three days that are due
// their texts, and returns how many; a phone at its daily limit is
// skipped (and tried again later).
func (n *SMSNotifier) Once(ctx context.Context) (int, error) {
	release, ok, err := n.DB.TryLease(ctx, "sms-notices", 5*time.Minute)
	if err != nil || !ok {
		return 0, err
	}
	defer release()
	p := n.DB.Portal()
	due, err := p.PendingTexts(ctx, n.DB.Now().Add(-72*time.Hour), 200)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range due {
		if p.CanMessage(ctx, d.Phone) != nil {
			continue
		}
		for _, m := range []sms.Message{{Phone: d.Phone, Kind: sms.KindConclusion, Text: sms.ConclusionText(d.Number, d.Reply)},
			{Phone: d.Phone, Kind: sms.KindRating, Text: sms.RatingText(d.Number)}} {
			ref, err := n.SMS.Send(ctx, m)
			if err != nil {
				n.Logger.Warn("sms failed", "kind", m.Kind, "ticket", d.Number, "phone", hotline.MaskPhone(d.Phone), "err", err)
			}
			if err := p.RecordSMS(ctx, d.Phone, m.Kind, ref, d.TicketID, err); err != nil {
				return sent, err
			}
		}
		sent++
	}
	return sent, nil
}
