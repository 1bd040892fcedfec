package sqldb

import (
	"context"
	"errors"

	"hotline"
	"hotline/keyring"
)

// SealedRequester is the stored form of a requester: the only shape in which
// personal data reaches the database.
type SealedRequester struct {
	Name, Phone, Address string
	PhoneKey             string // blind index of the normalised phone, to find a caller's history
	KeyID                int64  // the data key that sealed the fields
}

// RequesterCodec seals requester data before it is written and opens it
// after it is read. It is the single place personal data passes through.
type RequesterCodec interface {
	Seal(r hotline.Requester) (SealedRequester, error)
	Open(s SealedRequester) (hotline.Requester, error)
	PhoneKey(phone string) string
}

// keyringCodec encrypts each field under the active data key (the column
// name is bound in) and indexes the phone with a keyed HMAC.
type keyringCodec struct{ db *DB }

var _ RequesterCodec = keyringCodec{}

// Seal implements RequesterCodec.
func (c keyringCodec) Seal(r hotline.Requester) (SealedRequester, error) {
	k := c.db.keys
	var s SealedRequester
	var err error
	if s.Name, err = k.Encrypt("requester_name", r.Name); err != nil {
		return s, err
	}
	if s.Phone, err = k.Encrypt("requester_phone", r.Phone); err != nil {
		return s, err
	}
	if s.Address, err = k.Encrypt("requester_address", r.Address); err != nil {
		return s, err
	}
	s.PhoneKey, s.KeyID = c.PhoneKey(r.Phone), k.ActiveKeyID()
	return s, nil
}

// Open implements RequesterCodec. A value sealed with a key made by another
// instance since this one loaded its keys makes it reload them once.
func (c keyringCodec) Open(s SealedRequester) (hotline.Requester, error) {
	r, err := c.open(s)
	if errors.Is(err, keyring.ErrUnknownKey) {
		if err := c.db.loadKeys(context.Background()); err != nil {
			return r, err
		}
		r, err = c.open(s)
	}
	return r, err
}

func (c keyringCodec) open(s SealedRequester) (hotline.Requester, error) {
	k := c.db.keys
	var r hotline.Requester
	var err error
	if r.Name, err = k.Decrypt("requester_name", s.Name); err != nil {
		return r, err
	}
	if r.Phone, err = k.Decrypt("requester_phone", s.Phone); err != nil {
		return r, err
	}
	r.Address, err = k.Decrypt("requester_address", s.Address)
	return r, err
}

// PhoneKey implements RequesterCodec.
func (c keyringCodec) PhoneKey(phone string) string {
	return c.db.keys.BlindIndex(hotline.NormalizePhone(phone))
}
