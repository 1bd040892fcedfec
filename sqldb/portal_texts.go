package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hotline"
)

// TextDue is a concluded ticket whose citizen is still to be texted the
// reply and asked to rate it.
type TextDue struct {
	TicketID int64
	Number   string
	Phone    string
	Reply    string
}

// PendingTexts lists up to limit tickets concluded since since, not
// called back yet, with a mobile number and no conclusion text sent.
func (p *Portal) PendingTexts(ctx context.Context, since time.Time, limit int) ([]TextDue, error) {
	rows, err := p.db.read.QueryContext(ctx, `SELECT t.id, t.number, t.requester_name, t.requester_phone, t.requester_address, t.requester_phone_key,
		t.requester_key_id, t.reply FROM tickets t
		WHERE t.status = 'concluded' AND NOT t.callback_done AND NOT t.resolved_on_call AND t.concluded_at >= $1 AND t.requester_phone <> ''
		AND NOT EXISTS (SELECT 1 FROM sms_messages m WHERE m.ticket_id = t.id AND m.kind = 'conclusion' AND m.status = 'sent')
		ORDER BY t.concluded_at LIMIT $2`, since.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TextDue
	for rows.Next() {
		var d TextDue
		var s SealedRequester
		if err := rows.Scan(&d.TicketID, &d.Number, &s.Name, &s.Phone, &s.Address, &s.PhoneKey, &s.KeyID, &d.Reply); err != nil {
			return nil, err
		}
		r, err := p.db.Requesters.Open(s)
		if err != nil {
			return nil, err
		}
		if phone, err := mobile("phone", r.Phone); err == nil {
			d.Phone = phone
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// RateByText records a citizen's SMS reply as the rating of the ticket
// they were last asked to rate (within 7 days, not yet called back); the
// ticket's number, or not found.
func (p *Portal) RateByText(ctx context.Context, phone string, rating hotline.Rating) (string, error) {
	phone = hotline.NormalizePhone(phone)
	var id int64
	var number string
	err := p.db.read.QueryRowContext(ctx, `SELECT t.id, t.number FROM sms_messages m JOIN tickets t ON t.id = m.ticket_id
		WHERE m.phone_index = $1 AND m.kind = 'rating' AND m.status = 'sent' AND m.created_at >= $2 AND NOT t.callback_done
		ORDER BY m.created_at DESC, m.id DESC LIMIT 1`, p.phoneIndex(phone), p.db.Now().Add(-7*24*time.Hour).UnixMilli()).Scan(&id, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return "", hotline.Errorf(hotline.ENotFound, "没有待评价的工单")
	} else if err != nil {
		return "", err
	}
	_, err = p.RateAsCitizen(ctx, id, rating, "短信")
	return number, err
}
