#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class ConversationsTest : public StoreTest {};

TEST_F(ConversationsTest, CreateGetUpdateList) {
  Id wf = newWorkflow(t1_);
  Id ex = newExecution(t1_, wf);
  Conversation c;
  c.tenant_id = t1_;
  c.workflow_id = wf;
  c.execution_id = ex;
  c.agent = "architect";
  c.step = "design";
  c.prompt = "design it";
  c.timestamp = 12345;
  auto created = store_->createConversation(c);
  ASSERT_OK(created);
  EXPECT_EQ(created->timestamp, 12345);
  EXPECT_EQ(created->agent, "architect");
  EXPECT_EQ(created->execution_id, std::optional<Id>(ex));
  Id second = newConversation(t1_, wf);
  auto defaulted = store_->getConversation(t1_, second);
  ASSERT_OK(defaulted);
  EXPECT_EQ(defaulted->timestamp, clock_->nowMillis());

  Conversation changed = *created;
  changed.output = "the design";
  changed.details = "two services";
  changed.total_tokens_used = 900;
  changed.total_cost = 0.75;
  auto updated = store_->updateConversation(changed);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->output, "the design");
  EXPECT_EQ(updated->total_tokens_used, 900);
  EXPECT_DOUBLE_EQ(updated->total_cost, 0.75);
  changed.tenant_id = t2_;
  EXPECT_CODE(store_->updateConversation(changed), ErrorCode::kNotFound);

  auto list = store_->listConversations(t1_, wf);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, created->id);
  EXPECT_CODE(store_->listConversations(t1_, 31337), ErrorCode::kNotFound);
}

TEST_F(ConversationsTest, CreateChecksItsWorkflowAndExecution) {
  Id wf = newWorkflow(t1_);
  Id other_wf = newWorkflow(t1_, "other");
  Id foreign_ex = newExecution(t1_, other_wf);
  Conversation c;
  c.tenant_id = t1_;
  c.workflow_id = 5050;
  EXPECT_CODE(store_->createConversation(c), ErrorCode::kNotFound);
  c.workflow_id = wf;
  c.execution_id = foreign_ex;  // an execution of another workflow
  EXPECT_CODE(store_->createConversation(c), ErrorCode::kNotFound);
}

TEST_F(ConversationsTest, MessagesKeepRoleContentAndJson) {
  Id conv = newConversation(t1_, newWorkflow(t1_));
  Message m;
  m.tenant_id = t1_;
  m.conversation_id = conv;
  m.role = "assistant";
  m.content = "here is the plan";
  m.artifacts = boost::json::array{boost::json::object{{"type", "plan"}, {"uri", "mem://1"}}};
  m.message_metadata = boost::json::object{{"agent", "planner"}};
  auto added = store_->addMessage(m);
  ASSERT_OK(added);
  EXPECT_EQ(added->role, "assistant");
  EXPECT_EQ(added->artifacts.as_array().size(), 1u);
  EXPECT_EQ(added->message_metadata.at("agent").as_string(), "planner");
  m.role = "tool";
  m.artifacts = nullptr;
  ASSERT_OK(store_->addMessage(m));
  m.role = "robot";
  EXPECT_CODE(store_->addMessage(m), ErrorCode::kInvalidArgument);
  m.role = "user";
  m.conversation_id = 8080;
  EXPECT_CODE(store_->addMessage(m), ErrorCode::kNotFound);

  auto list = store_->listMessages(t1_, conv);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].content, "here is the plan");
  EXPECT_EQ((*list)[1].role, "tool");
  EXPECT_TRUE((*list)[1].artifacts.is_array());  // null reads back as []
  EXPECT_CODE(store_->listMessages(t1_, 8080), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
