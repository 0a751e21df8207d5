export type WorkflowStatus = 'pending' | 'running' | 'waiting_approval' | 'completed' | 'failed' | 'cancelled';

export interface Health {
  status: string;
  version?: string;
  dev_mode?: boolean;
  auth?: 'none' | 'api_key';
}

export interface Workflow {
  id: number;
  name: string;
  description: string;
  jira_story_id: string | null;
  repository_url: string;
  crew: string;
  status: WorkflowStatus;
  created_at: string;
  updated_at: string;
  // optional summary of the latest execution, when the server adds one
  latest_execution?: Execution | null;
  stage?: string;
  total_tokens?: number;
  total_cost?: number;
}

export interface Conversation {
  id: number;
  workflow_id: number;
  execution_id: number | null;
  agent: string;
  step: string;
  prompt: string;
  output: string;
  details: string;
  timestamp: string;
  total_tokens_used: number;
  total_cost: number;
  messages?: Message[];
  llm_call_count?: number;
}

export interface ToolCallRef {
  id: string;
  name: string;
  arguments: string;
}

export interface Message {
  id: number;
  conversation_id: number;
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  message_metadata: {
    tool_calls?: ToolCallRef[];
    tool_call_id?: string;
    name?: string;
    model?: string;
    llm_call_id?: number;
    prompt_tokens?: number;
    completion_tokens?: number;
    cost?: number;
  } | null;
  created_at: string;
}

export interface WorkflowDetail extends Workflow {
  conversations: Conversation[];
  code_files: unknown[];
}

export interface PlanTask {
  id: string;
  title: string;
  description?: string;
  files?: string[];
  depends_on: string[];
}

// An execution's budget use in one scope; null limits are unlimited.
export interface BudgetUse {
  tokens_used: number;
  cost_used: number;
  tokens_limit: number | null;
  cost_limit: number | null;
  tokens_left: number | null;
  cost_left: number | null;
}

export interface PlanTaskProgress extends PlanTask {
  state: 'done' | 'pending';
}

// The typed progress view the API renders from the engine's checkpoint.
export interface ExecutionProgress {
  stage: string;
  paused_at: string | null;
  loops: { test: number; review: number };
  visits: Record<string, number>;
  branch: string | null;
  base_commit: string | null;
  budget: {
    execution: BudgetUse;
    agents: Record<string, BudgetUse>;
    step_limits: { tokens: number | null; cost: number | null };
  };
  plan: { summary: string; tasks: PlanTaskProgress[] } | null;
  tasks_done: { visit: string; task: string }[];
  gates: { passed: string[]; pending: { approval_id: number; gate: string } | null };
  commits: Record<string, string>;
}

export interface Execution {
  id: number;
  workflow_id: number;
  status: WorkflowStatus;
  stage: string;
  started_at: string | null;
  finished_at: string | null;
  total_calls: number;
  total_tokens: number;
  total_cost: number;
  avg_latency_ms: number;
  models: string[];
  meta: Record<string, unknown>;
  progress?: ExecutionProgress;
  idempotency_key: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface LlmCall {
  id: number;
  conversation_id: number;
  execution_id: number | null;
  agent?: string;
  provider: string;
  model: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  response_time_ms: number;
  status: string;
  error_code: string | null;
  cost: number;
  timestamp: string;
  attempt?: number;
  fallback_of?: number | null;
}

export interface LlmCallPage {
  workflow_id?: number;
  conversation_id?: number;
  total_tokens_used: number;
  total_cost: number;
  page: number;
  page_size: number;
  total: number;
  calls: LlmCall[];
}

export interface Approval {
  id: number;
  workflow_id: number;
  execution_id: number;
  gate: string;
  status: string;
  requested_at: string;
  decided_at: string | null;
  decision: string | null;
  reviewer: string;
  comment: string;
}

export interface Diff {
  id: number;
  workflow_id: number;
  execution_id: number | null;
  path: string;
  diff: string;
  created_at: string;
}

export interface Artifact {
  id: number;
  workflow_id: number;
  execution_id: number | null;
  kind: string;
  uri: string;
  checksum: string;
  content: string;
  created_at: string;
}

export interface CrewAgent {
  role?: string;
  name?: string;
  model?: string;
  goal?: string;
  tools?: string[];
}

export interface Crew {
  name: string;
  description?: string;
  stages: (string | { stage?: string; name?: string; agents?: string[]; tasks?: { name?: string; agent?: string }[] })[];
  agents: CrewAgent[] | Record<string, CrewAgent>;
  gates?: string[];
}

export interface ExecutionSummary {
  id: number;
  status: string;
  total_calls: number;
  total_tokens: number;
  total_cost: number;
  avg_latency_ms: number;
  models: string[];
  stage: string;
}

export interface Comparison {
  workflow_id: number;
  a: ExecutionSummary;
  b: ExecutionSummary;
  differences: {
    total_calls: number;
    total_tokens: number;
    total_cost: number;
    avg_latency_ms: number;
    models_added: string[];
    models_removed: string[];
    same_status: boolean;
    same_stage: boolean;
  };
}

/** An event as the SSE streams carry it. */
export interface WfEvent {
  seq: number | null;
  type: string;
  workflow_id: number;
  execution_id: number | null;
  data: Record<string, unknown>;
  created_at: number;
  live: boolean;
}
