// POST /workflows/from-jira/{story_id} (seed 001): a workflow from a Jira
// story, with seed 001's answers:
//   success and repeat  200 {"message": "Workflow created successfully for {story_id}", "workflow_id": N}
//   failure             404 (no such story) or 500 (anything else)
//                       {"message": "Could not retrieve story {story_id} from Jira", "detail": why}
// Idempotent per story and tenant: a workflow already made for the story id
// asked, or for the key Jira answers with (a moved issue's new key), is
// answered again and Jira is not asked for the former. The workflow is made
// by the same store call as POST /workflows (one write: nothing half-made),
// named "<KEY>: <summary>", with the description and acceptance criteria as
// Markdown for its goal and the key Jira returned as its jira_story_id.
#include "api/json_input.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "core/log.h"
#include "integrations/jira/story_source.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <future>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

Response storyWorkflow(const std::string& story_id, core::Id workflow_id) {
  return Response::json(200, json::object{{"message", "Workflow created successfully for " + story_id},
                                          {"workflow_id", workflow_id}});
}

// Seed 001's failure answer; `detail` says why (never a credential). A
// story Jira does not have, or a key that cannot be one, is a 404.
Response storyFailure(const std::string& story_id, const core::Error& why) {
  const bool missing = why.code == core::ErrorCode::kNotFound || why.code == core::ErrorCode::kInvalidArgument;
  core::log::warn("could not retrieve a Jira story",
                  {{"story_id", story_id}, {"code", core::errorCodeName(why.code)}, {"error", why.message}});
  return Response::json(missing ? 404 : 500,
                        json::object{{"message", "Could not retrieve story " + story_id + " from Jira"},
                                     {"detail", why.message}});
}

using StoryPromise = std::promise<core::Result<integrations::jira::JiraStory>>;

boost::asio::awaitable<void> fetchInto(std::shared_ptr<integrations::jira::StorySource> source, std::string key,
                                       std::shared_ptr<StoryPromise> promise) {
  auto story = co_await source->fetchStory(std::move(key));
  promise->set_value(std::move(story));
}

// Waits, on the handler's pool thread, for the fetch running on the
// request's I/O thread (or on a context of its own for a request built by hand).
core::Result<integrations::jira::JiraStory> fetch(std::shared_ptr<integrations::jira::StorySource> source,
                                                  const std::string& key, const boost::asio::any_io_executor& io) {
  auto promise = std::make_shared<StoryPromise>();
  auto story = promise->get_future();
  auto failed = [promise](std::exception_ptr e) {
    if (e) promise->set_exception(e);
  };
  if (io) {
    boost::asio::co_spawn(io, fetchInto(std::move(source), key, promise), failed);
    return story.get();
  }
  boost::asio::io_context own;
  boost::asio::co_spawn(own, fetchInto(std::move(source), key, promise), failed);
  own.run();
  return story.get();
}

// The optional body: the repository the story's work goes to and the crew
// (defaults: none, sdlc). Checked before Jira is asked.
struct StoryOptions {
  std::string repository_url;
  std::string crew = "sdlc";
};

core::Result<StoryOptions> parseOptions(const http::Request& req) {
  StoryOptions o;
  if (req.body.empty()) return o;
  auto in = JsonInput::parse(req.body);
  if (!in) return in.error();
  auto repo = in->string("repository_url", false, 0, 2048);
  auto crew = in->string("crew", false, 1, 64);
  if (auto st = in->finish(); !st) return st.error();
  o.repository_url = repo.value_or("");
  if (crew) o.crew = *crew;
  return o;
}

core::Result<Response> createFromJira(Call& call) {
  const std::string& story_id = call.req.param("story_id");
  auto options = parseOptions(call.req);
  if (!options) return options.error();
  auto known = call.store().findWorkflowByStory(call.tenant(), story_id);
  if (!known) return known.error();
  if (*known) return storyWorkflow(story_id, (*known)->id);
  if (!call.ctx.stories)
    return storyFailure(story_id, core::Error{core::ErrorCode::kFailedPrecondition,
                                              "Jira is not available in this process", nullptr});
  auto story = fetch(call.ctx.stories, story_id, call.req.io);
  if (!story) return storyFailure(story_id, story.error());
  store::Workflow w;
  w.tenant_id = call.tenant();
  w.name = integrations::jira::workflowName(*story);
  w.description = integrations::jira::workflowGoal(*story);
  w.jira_story_id = story->key;
  w.repository_url = options->repository_url;
  w.crew = options->crew;
  auto made = call.store().createWorkflow(w);  // idempotent on the key Jira returned
  if (!made) return made.error();
  if (made->created)
    core::log::info("workflow created from a Jira story",
                    {{"story_id", story_id}, {"key", story->key}, {"workflow_id", made->value.id}});
  return storyWorkflow(story_id, made->value.id);
}

}  // namespace

void addJiraRouteSchemas(SchemaMap& out) {
  out["JiraWorkflowOptions"] = closedObject(R"({
      "repository_url": {"type": "string", "maxLength": 2048,
                         "description": "where the story's work goes; a GitHub https:// URL gets a pull request"},
      "crew": {"type": "string", "minLength": 1, "maxLength": 64, "default": "sdlc"}})",
                                            {"repository_url", "crew"});
  out["JiraWorkflowCreated"] = closedObject(R"({
      "message": {"type": "string", "description": "Workflow created successfully for {story_id}"},
      "workflow_id": {"type": "integer", "description": "the new workflow, or the story's existing one"}})");
  out["JiraStoryFailure"] = closedObject(R"({
      "message": {"type": "string", "description": "Could not retrieve story {story_id} from Jira"},
      "detail": {"type": "string", "description": "why: what Jira answered, or which settings to set"}})");
}

void registerJiraRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  addApiRoute(router, ctx,
              {"POST", "/workflows/from-jira/{story_id}", Access::kWrite, "workflow.create_from_jira",
               "Create a workflow from a Jira story (idempotent per story; seed 001's answers)", "workflows"},
              {.operation_id = "createWorkflowFromJira",
               .request = "JiraWorkflowOptions",
               .request_required = false,
               .response = "JiraWorkflowCreated",
               .other_answers = {{404, "JiraStoryFailure",
                                  "Jira has no such story (or does not show it to jira.email)"},
                                 {500, "JiraStoryFailure",
                                  "the story could not be retrieved: Jira is not configured, refused the "
                                  "credentials, is rate limited or unreachable (detail says which)"}}},
              createFromJira);
}

}  // namespace codecrew::api
