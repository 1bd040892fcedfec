package hotline

import (
	"encoding/hex"
	"hash"
	"strconv"
	"time"
)

// AuditEntry is one record of the append-only audit log: logins, reveals,
// exports, permission and configuration changes, every ticket action.
// Entries form hash chains: each carries the hash of the one before it in
// its chain, so an altered or deleted entry breaks the chain.
type AuditEntry struct {
	ID        int64     `json:"id"`
	Chain     int       `json:"chain"`
	Seq       int64     `json:"seq"`
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id,omitempty"`
	ActorName string    `json:"actor_name"`
	Action    string    `json:"action"` // e.g. auth.login, ticket.dispatch, ticket.reveal
	Target    string    `json:"target"` // e.g. ticket:42
	Detail    string    `json:"detail"`
	IP        string    `json:"ip"`
	PrevHash  string    `json:"prev_hash"`
	Hash      string    `json:"hash"`
}

// ComputeHash returns the entry's hash: h over its chain position, content
// and the previous hash, each field length-prefixed so that no two
// different entries serialise alike.
func (e *AuditEntry) ComputeHash(newHash func() hash.Hash) string {
	h := newHash()
	for _, f := range []string{strconv.Itoa(e.Chain), strconv.FormatInt(e.Seq, 10), strconv.FormatInt(e.At.UnixMilli(), 10),
		strconv.FormatInt(e.ActorID, 10), e.ActorName, e.Action, e.Target, e.Detail, e.IP, e.PrevHash} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}
