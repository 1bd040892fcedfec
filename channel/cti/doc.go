// Package cti holds the telephony adapters (话务接入): the FreeSWITCH event
// socket client, the mapping of its events to the domain's call events,
// and the reader of CDR files. The vendor-neutral webhook is a route of
// package web; every adapter hands the same hotline.CallEvent values to
// the same storage, so a call reads the same whichever way it came.
package cti
