// Package hotline is the vocabulary of the 12345 government service hotline:
// tickets and their lifecycle, units, categories, the working calendar, time
// limits, users and roles. It does no I/O and never reads the clock: callers
// pass the time in, storage records what the domain decided.
package hotline

import (
	"errors"
	"fmt"
)

// Error codes, a small vocabulary mapped to HTTP statuses at the edge.
const (
	EInvalid      = "invalid"      // bad input; Field names which
	EUnauthorized = "unauthorized" // not logged in or bad credentials
	EForbidden    = "forbidden"    // logged in but not allowed
	ENotFound     = "not_found"    // no such thing, or not visible to the actor
	EConflict     = "conflict"     // illegal in the current state
	ETooMany      = "too_many"     // rate limited or locked out for a while
	EInternal     = "internal"     // everything else
)

// Error is a domain error with a code, a message fit to show to the user
// (Chinese first) and, for EInvalid, the name of the offending field.
type Error struct {
	Code    string
	Field   string
	Message string

	format string // Message before formatting, the key for translation
	args   []any
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// Invalid returns an EInvalid error naming the field at fault.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...), format: format, args: args}
}

// ErrorCode returns the code of the first *Error in err's chain, EInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorField returns the field named by an EInvalid error in err's chain.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns the user-facing message of err; internal errors get
// a generic message so that nothing of SQL or stack reaches the user.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return internalMessage
}

const internalMessage = "系统内部错误，请稍后重试"

// LocalizedMessage is ErrorMessage in another language: tr translates the
// Chinese message format and every string argument (labels such as a
// status name), and the message is formatted again. Messages are keyed by
// their Chinese text, so tr returns its argument when it has no entry.
func LocalizedMessage(err error, tr func(string) string) string {
	var e *Error
	if !errors.As(err, &e) {
		return tr(internalMessage)
	} else if e.format == "" {
		return tr(e.Message)
	}
	args := make([]any, len(e.args))
	for i, a := range e.args {
		switch v := a.(type) {
		case string:
			args[i] = tr(v)
		case fmt.Stringer:
			args[i] = tr(v.String())
		default:
			args[i] = a
		}
	}
	return fmt.Sprintf(tr(e.format), args...)
}
