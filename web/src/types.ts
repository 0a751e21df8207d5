// The API's bodies. The main objects are the schemas of /openapi.json, as
// openapi-typescript generates them into generated/openapi.ts (regenerate
// with `node tests/openapi/generate.mjs`, or `npm run gen:api` against a
// running server): a body the server renders differently from its document
// fails the tests, and one the UI reads differently fails this build.
import type { components, paths } from './generated/openapi';

type Schemas = components['schemas'];

/** The JSON success body of an operation: Answer<'/workflows', 'get'>. */
export type Answer<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  responses: infer R;
}
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { 'application/json': infer T } }
          ? T
          : never
        : never;
    }[keyof R]
  : never;

/** The JSON request body of an operation. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type WorkflowStatus = Schemas['RunStatus'];

export type Health = Schemas['Health'];

/** A workflow; in a list, with its newest execution. */
export type Workflow = Schemas['Workflow'] & Partial<Pick<Schemas['WorkflowListItem'], 'latest_execution'>>;

/** A conversation (one agent step); GET /conversations/{id} adds its messages. */
export type Conversation = Omit<Schemas['ConversationDetail'], 'messages' | 'llm_call_count'> & {
  messages?: Message[];
  llm_call_count?: number;
};

export interface ToolCallRef {
  id: string;
  name: string;
  arguments: string;
}

/** A message, with the metadata the engine writes (the document leaves it open). */
export type Message = Omit<Schemas['Message'], 'role' | 'message_metadata'> & {
  role: 'system' | 'user' | 'assistant' | 'tool';
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
};

export type WorkflowDetail = Schemas['WorkflowDetail'];
/** GET /workflows/{id}/search: chunks of the workflow's repository, best first. */
export type SearchResult = Schemas['SearchResult'];

export interface PlanTask {
  id: string;
  title: string;
  description?: string;
  files?: string[];
  depends_on: string[];
}

// An execution's budget use in one scope; null limits are unlimited.
export type BudgetUse = Schemas['BudgetUse'];

export type PlanTaskProgress = NonNullable<Schemas['ExecutionProgress']['plan']>['tasks'][number];

// The typed progress view the API renders from the engine's checkpoint.
export type ExecutionProgress = Schemas['ExecutionProgress'];

export type Execution = Schemas['Execution'];

/** An LLM call; listed over a workflow, with its agent. */
export type LlmCall = Schemas['LlmCall'] & { agent?: string | null };

export type LlmCallPage = Schemas['WorkflowLlmCallPage'];

export type Approval = Schemas['Approval'];

export type Diff = Schemas['Diff'];

export type Artifact = Schemas['Artifact'];

/** A workflow's pull request, with the state of the loop that answers its checks and reviews. */
export type PullRequest = Schemas['PullRequest'];

/** A check on the pull request's head (a check run, or a commit status as "status/<context>"). */
export type Check = Schemas['Check'];

export type CheckPage = Schemas['CheckPage'];

export type StreamTicket = Schemas['StreamTicket'];

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

export type ExecutionSummary = Schemas['RunMetrics'];

export type Comparison = Schemas['ExecutionComparison'];

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
