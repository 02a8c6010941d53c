package catalog

// Target is where a rule sends the events it matches, with how to shape
// them (Input, InputPath or InputTransformer), how to retry, where dead
// letters go, and the parameters of the kind of target its ARN names.
//
// It belongs to no protocol: the api package converts it from and to the
// AWS JSON shape, and delivery reads it. Optional members are pointers or
// nil slices and maps, because ListTargetsByRule must return exactly what
// PutTargets was given (an absent member and an empty one differ). The
// JSON names are those of the stored rule documents, which predate this
// type: a data directory written by an earlier version still reads.
type Target struct {
	ID               string            `json:"Id"`
	ARN              string            `json:"Arn"`
	RoleARN          *string           `json:"RoleArn,omitzero"`
	Input            *string           `json:"Input,omitzero"`
	InputPath        *string           `json:"InputPath,omitzero"`
	InputTransformer *InputTransformer `json:"InputTransformer,omitzero"`
	DeadLetter       *DeadLetter       `json:"DeadLetterConfig,omitzero"`
	RetryPolicy      *RetryPolicy      `json:"RetryPolicy,omitzero"`

	// The parameters of one kind of target; a target holds at most those
	// its kind reads (PutTargets does not check which).
	Kinesis      *KinesisParameters      `json:"KinesisParameters,omitzero"`
	RunCommand   *RunCommandParameters   `json:"RunCommandParameters,omitzero"`
	ECS          *ECSParameters          `json:"EcsParameters,omitzero"`
	Batch        *BatchParameters        `json:"BatchParameters,omitzero"`
	SQS          *SQSParameters          `json:"SqsParameters,omitzero"`
	HTTP         *HTTPTargetParameters   `json:"HttpParameters,omitzero"`
	RedshiftData *RedshiftDataParameters `json:"RedshiftDataParameters,omitzero"`
	SageMaker    *SageMakerParameters    `json:"SageMakerPipelineParameters,omitzero"`
	AppSync      *AppSyncParameters      `json:"AppSyncParameters,omitzero"`
}

// Role is the role the target is called as, or "".
func (t *Target) Role() string {
	if t == nil || t.RoleARN == nil {
		return ""
	}
	return *t.RoleARN
}

// DeadLetterARN is the ARN of the target's dead-letter queue, or "".
func (t *Target) DeadLetterARN() string {
	if t == nil || t.DeadLetter == nil || t.DeadLetter.ARN == nil {
		return ""
	}
	return *t.DeadLetter.ARN
}

// CustomInput says the target has its own Input, InputPath or
// InputTransformer; kinds that take no event by default (ECS, Run Command)
// look at it.
func (t *Target) CustomInput() bool {
	return t.Input != nil || t.InputPath != nil || t.InputTransformer != nil
}

// InputTransformer is a target's InputPathsMap and InputTemplate.
type InputTransformer struct {
	PathsMap map[string]string `json:"InputPathsMap,omitzero"`
	Template *string           `json:"InputTemplate,omitzero"`
}

// DeadLetter is a DeadLetterConfig: the SQS queue of undeliverable events.
type DeadLetter struct {
	ARN *string `json:"Arn,omitzero"`
}

// RetryPolicy bounds the retries of one event to one target; nil members
// take EventBridge's defaults (185 attempts, 24 hours).
type RetryPolicy struct {
	MaximumRetryAttempts     *int32 `json:",omitzero"`
	MaximumEventAgeInSeconds *int32 `json:",omitzero"`
}

// KinesisParameters: the JSONPath of the event field used as partition key.
type KinesisParameters struct {
	PartitionKeyPath *string `json:",omitzero"`
}

// RunCommandParameters: the instances an SSM Run Command target runs on.
type RunCommandParameters struct {
	RunCommandTargets []RunCommandTarget `json:",omitzero"`
}

// RunCommandTarget selects instances by a tag key or by instance ids.
type RunCommandTarget struct {
	Key    *string  `json:",omitzero"`
	Values []string `json:",omitzero"`
}

// ECSParameters are what an ECS RunTask target is run with.
type ECSParameters struct {
	TaskDefinitionArn        *string                        `json:",omitzero"`
	TaskCount                *int32                         `json:",omitzero"`
	LaunchType               *string                        `json:",omitzero"`
	NetworkConfiguration     *NetworkConfiguration          `json:",omitzero"`
	PlatformVersion          *string                        `json:",omitzero"`
	Group                    *string                        `json:",omitzero"`
	CapacityProviderStrategy []CapacityProviderStrategyItem `json:",omitzero"`
	EnableECSManagedTags     *bool                          `json:",omitzero"`
	EnableExecuteCommand     *bool                          `json:",omitzero"`
	PlacementConstraints     []PlacementConstraint          `json:",omitzero"`
	PlacementStrategy        []PlacementStrategy            `json:",omitzero"`
	PropagateTags            *string                        `json:",omitzero"`
	ReferenceId              *string                        `json:",omitzero"`
	Tags                     []TaskTag                      `json:",omitzero"`
}

// NetworkConfiguration is an ECS task's awsvpc network configuration. The
// member names are lower camel case in AWS's model, and so in the stored
// documents.
type NetworkConfiguration struct {
	AwsvpcConfiguration *AwsVpcConfiguration `json:"awsvpcConfiguration,omitzero"`
}

// AwsVpcConfiguration is the subnets and security groups of a task.
type AwsVpcConfiguration struct {
	Subnets        []string `json:",omitzero"`
	SecurityGroups []string `json:",omitzero"`
	AssignPublicIp *string  `json:",omitzero"`
}

// CapacityProviderStrategyItem is one capacity provider of a task.
type CapacityProviderStrategyItem struct {
	CapacityProvider *string `json:"capacityProvider,omitzero"`
	Weight           *int32  `json:"weight,omitzero"`
	Base             *int32  `json:"base,omitzero"`
}

// PlacementConstraint is an ECS task placement constraint.
type PlacementConstraint struct {
	Type       *string `json:"type,omitzero"`
	Expression *string `json:"expression,omitzero"`
}

// PlacementStrategy is an ECS task placement strategy.
type PlacementStrategy struct {
	Type  *string `json:"type,omitzero"`
	Field *string `json:"field,omitzero"`
}

// TaskTag is a tag put on the tasks an ECS target starts. Unlike a
// resource's Tag, either member may be absent.
type TaskTag struct {
	Key   *string `json:",omitzero"`
	Value *string `json:",omitzero"`
}

// BatchParameters are what a Batch SubmitJob target submits.
type BatchParameters struct {
	JobDefinition   *string               `json:",omitzero"`
	JobName         *string               `json:",omitzero"`
	ArrayProperties *BatchArrayProperties `json:",omitzero"`
	RetryStrategy   *BatchRetryStrategy   `json:",omitzero"`
}

// BatchArrayProperties is the size of an array job.
type BatchArrayProperties struct {
	Size *int32 `json:",omitzero"`
}

// BatchRetryStrategy is how often Batch retries a failed job.
type BatchRetryStrategy struct {
	Attempts *int32 `json:",omitzero"`
}

// SQSParameters: the message group of a FIFO queue (or FIFO topic).
type SQSParameters struct {
	MessageGroupId *string `json:",omitzero"`
}

// HTTPTargetParameters are a target's path, header and query string values
// for an API destination or API Gateway: each a literal or a JSONPath
// ("$.detail.x") into the event.
type HTTPTargetParameters struct {
	PathParameterValues   []string          `json:",omitzero"`
	HeaderParameters      map[string]string `json:",omitzero"`
	QueryStringParameters map[string]string `json:",omitzero"`
}

// RedshiftDataParameters are the statement(s) a Redshift Data API target
// runs.
type RedshiftDataParameters struct {
	SecretManagerArn *string  `json:",omitzero"`
	Database         *string  `json:",omitzero"`
	DbUser           *string  `json:",omitzero"`
	Sql              *string  `json:",omitzero"`
	StatementName    *string  `json:",omitzero"`
	WithEvent        *bool    `json:",omitzero"`
	Sqls             []string `json:",omitzero"`
}

// SageMakerParameters are the parameters a SageMaker pipeline is started
// with.
type SageMakerParameters struct {
	PipelineParameterList []SageMakerPipelineParameter `json:",omitzero"`
}

// SageMakerPipelineParameter is one named pipeline parameter.
type SageMakerPipelineParameter struct {
	Name  *string `json:",omitzero"`
	Value *string `json:",omitzero"`
}

// AppSyncParameters: the GraphQL operation an AppSync target runs.
type AppSyncParameters struct {
	GraphQLOperation *string `json:",omitzero"`
}
