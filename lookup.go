package hotline

import "time"

// Caller history (来电历史) is how an agent finds a caller's earlier tickets
// by the number on the line. It is a lookup, not a list filter: the mask
// shows 7 of a mobile number's 11 digits, so an open filter by phone would
// let anyone recover a number in 10,000 tries. The rules below bound who
// may look up, how often, and when a run of lookups is an alert.

// LookupLimits bound one user's caller-history lookups.
type LookupLimits struct {
	PerMinute int // lookups a minute
	PerDay    int // lookups a day (the last 24 hours)
	// BurstDistinct distinct numbers (or refused attempts) within
	// BurstWindow raise a security alert for the admins.
	BurstDistinct int
	BurstWindow   time.Duration
}

// DefaultLookupLimits: 30 a minute, 300 a day; 20 distinct numbers in 10
// minutes is an alert (an agent on the phone looks up one caller every few
// minutes).
func DefaultLookupLimits() LookupLimits {
	return LookupLimits{PerMinute: 30, PerDay: 300, BurstDistinct: 20, BurstWindow: 10 * time.Minute}
}

// Validate checks the limits, naming the first bad one.
func (l LookupLimits) Validate() error {
	switch {
	case l.PerMinute < 1 || l.PerMinute > 10000:
		return Invalid("lookup_per_minute", "每分钟查询上限应在 1 到 10000 之间")
	case l.PerDay < l.PerMinute || l.PerDay > 1000000:
		return Invalid("lookup_per_day", "每日查询上限应不小于每分钟上限，且不超过 1000000")
	case l.BurstDistinct < 2:
		return Invalid("lookup_burst", "告警阈值应至少为 2")
	case l.BurstWindow < time.Minute || l.BurstWindow > 24*time.Hour:
		return Invalid("lookup_burst_window", "告警时间窗应在 1 分钟到 24 小时之间")
	}
	return nil
}

// LookupCounts are one user's recent lookups, as storage counts them.
type LookupCounts struct {
	LastMinute int // lookups in the last minute
	LastDay    int // in the last 24 hours
	Distinct   int // distinct numbers within the burst window, this one included
}

// Allow decides one more lookup: nil, or an ETooMany error saying which
// limit was reached.
func (l LookupLimits) Allow(c LookupCounts) error {
	if c.LastMinute >= l.PerMinute {
		return Errorf(ETooMany, "来电历史查询过于频繁（每分钟最多 %d 次），请稍后再试", l.PerMinute)
	}
	if c.LastDay >= l.PerDay {
		return Errorf(ETooMany, "今日来电历史查询已达上限（%d 次）", l.PerDay)
	}
	return nil
}

// Burst reports whether n distinct numbers or refused attempts within the
// window call for an alert.
func (l LookupLimits) Burst(n int) bool { return n >= l.BurstDistinct }

// CanLookUpCallers reports whether the actor may look up a caller's
// history: only the roles that take or return calls, never a unit.
func (a Actor) CanLookUpCallers() bool { return a.Role.Has(PermCallerHistory) }
