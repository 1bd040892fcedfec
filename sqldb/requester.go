package sqldb

import "hotline"

// SealedRequester is the stored form of a requester: the only shape in which
// personal data reaches the database.
type SealedRequester struct {
	Name, Phone, Address string
	PhoneKey             string // blind index of the normalised phone, to find a caller's history
}

// RequesterCodec seals requester data before it is written and opens it
// after it is read. It is the single place personal data passes through, so
// encryption at rest is a matter of swapping the codec.
type RequesterCodec interface {
	Seal(r hotline.Requester) (SealedRequester, error)
	Open(s SealedRequester) (hotline.Requester, error)
	PhoneKey(phone string) string
}

// PlainRequesters stores requester data as it is. It is the codec until the
// access-control work adds encryption; nothing else reads these columns.
type PlainRequesters struct{}

var _ RequesterCodec = PlainRequesters{}

// Seal implements RequesterCodec.
func (PlainRequesters) Seal(r hotline.Requester) (SealedRequester, error) {
	return SealedRequester{Name: r.Name, Phone: r.Phone, Address: r.Address, PhoneKey: PlainRequesters{}.PhoneKey(r.Phone)}, nil
}

// Open implements RequesterCodec.
func (PlainRequesters) Open(s SealedRequester) (hotline.Requester, error) {
	return hotline.Requester{Name: s.Name, Phone: s.Phone, Address: s.Address}, nil
}

// PhoneKey implements RequesterCodec.
func (PlainRequesters) PhoneKey(phone string) string { return hotline.NormalizePhone(phone) }
