package api

// Limits are the resource quotas the API enforces. AWS calls most of them
// adjustable; the defaults are AWS's defaults (contract section 3.15).
type Limits struct {
	BusesPerScope    int // 100 event buses per account and region
	RulesPerBus      int // 300 rules per bus
	TargetsPerRule   int // 5, a hard quota at AWS
	TagsPerResource  int // 50
	PolicyLength     int // 10,240 characters
	EventPatternSize int // 4,096 characters (the model's maximum; AWS's quota page says 2,048)
	PutEventsSize    int // total entry size of one PutEvents: 1 MiB (256 KiB before 2026-01-29)

	ConnectionsPerScope     int // 3,000 connections per account and region
	ApiDestinationsPerScope int // 3,000 API destinations per account and region
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.BusesPerScope, 100)
	def(&l.RulesPerBus, 300)
	def(&l.TargetsPerRule, 5)
	def(&l.TagsPerResource, 50)
	def(&l.PolicyLength, 10240)
	def(&l.EventPatternSize, 4096)
	def(&l.PutEventsSize, 1<<20)
	def(&l.ConnectionsPerScope, 3000)
	def(&l.ApiDestinationsPerScope, 3000)
	return l
}
