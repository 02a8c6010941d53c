package target

// The one table of dead-letter ERROR_CODE values, for every kind: the codes
// of the EventBridge user guide's list, and the few Switchyard adds where
// it fails for a reason of its own.
const (
	CodeNoResource        = "NO_RESOURCE"
	CodeNoPermissions     = "NO_PERMISSIONS"
	CodeAlreadyExists     = "RESOURCE_ALREADY_EXISTS"
	CodeThrottling        = "THROTTLING"
	CodeTimeout           = "TIMEOUT"
	CodeConnectionFailure = "CONNECTION_FAILURE"
	CodeInvalidParameter  = "INVALID_PARAMETER"
	CodeSDKClientError    = "SDK_CLIENT_ERROR"

	// CodeInvalidInput: the target's Input, InputPath or InputTransformer
	// made no valid input for this event; the target was not invoked.
	CodeInvalidInput = "INVALID_INPUT"
	// CodeLoopDetected: bus targets forwarded the event too many times (a
	// cycle of rules between buses); the target was not invoked.
	CodeLoopDetected = "LOOP_DETECTED"
	// CodeInternal: Switchyard could not do its own part (store the event
	// on a target bus); retried.
	CodeInternal = "INTERNAL"
	// CodeInvalidEvent: the bus could not process the event at all (it does
	// not parse); for the bus's own dead-letter queue.
	CodeInvalidEvent = "INVALID_EVENT"
)
