/**
 * The one catalogue of datong error codes. Every error the hub raises or reports
 * carries one of these codes; `docs/errors.md` is generated from this table
 * (`node bin/run-ts.js scripts/gen-error-docs.ts`), so add codes here only.
 *
 * Messages are templates: `{name}` is replaced by the error's params.
 */
export interface ErrorSpec {
  /** HTTP status when the error answers an API call. */
  readonly status: number;
  /** Whether trying the same thing again later can succeed. */
  readonly retryable: boolean;
  readonly en: string;
  readonly zh: string;
}

export const ERROR_CATALOGUE = {
  // --- configuration and workspace ---
  DT_CONFIG_API_VERSION: { status: 400, retryable: false, en: 'Unsupported apiVersion "{apiVersion}", expected datong/v1', zh: '不支持的 apiVersion“{apiVersion}”，应为 datong/v1' },
  DT_CONFIG_CAPABILITY: { status: 400, retryable: false, en: 'System "{system}" ({type}) cannot {capability}', zh: '系统“{system}”（{type}）不支持 {capability}' },
  DT_CONFIG_CRON: { status: 400, retryable: false, en: 'Invalid cron expression "{cron}": {reason}', zh: 'Cron 表达式“{cron}”无效：{reason}' },
  DT_CONFIG_DUPLICATE_ID: { status: 400, retryable: false, en: 'Duplicate id "{id}"', zh: '重复的标识“{id}”' },
  DT_CONFIG_FILE_NAME: { status: 400, retryable: false, en: 'Invalid file name "{file}": {reason}', zh: '文件名“{file}”无效：{reason}' },
  DT_CONFIG_INVALID: { status: 400, retryable: false, en: 'Invalid configuration: {reason}', zh: '配置无效：{reason}' },
  DT_CONFIG_NOT_FOUND: { status: 404, retryable: false, en: 'Resource {kind}/{id} not found', zh: '资源 {kind}/{id} 不存在' },
  DT_CONFIG_PLAIN_SECRET: { status: 400, retryable: false, en: 'Secret written in clear at {path}', zh: '{path} 处的密钥以明文书写' },
  DT_CONFIG_SCHEMA: { status: 400, retryable: false, en: '{reason}', zh: '{reason}' },
  DT_CONFIG_TIMEZONE: { status: 400, retryable: false, en: 'Unknown time zone "{timezone}"', zh: '未知时区“{timezone}”' },
  DT_CONFIG_UNKNOWN_CONNECTOR: { status: 400, retryable: false, en: 'Unknown connector type "{type}"', zh: '未知连接器类型“{type}”' },
  DT_CONFIG_UNKNOWN_FIELD: { status: 400, retryable: false, en: 'Unknown field "{field}" for {where}', zh: '{where} 中不存在字段“{field}”' },
  DT_CONFIG_UNKNOWN_MAPPING: { status: 400, retryable: false, en: 'Unknown mapping "{mapping}"', zh: '未知映射“{mapping}”' },
  DT_CONFIG_UNKNOWN_STEP: { status: 400, retryable: false, en: 'Unknown step "{step}"', zh: '未知步骤“{step}”' },
  DT_CONFIG_UNKNOWN_SYSTEM: { status: 400, retryable: false, en: 'Unknown system "{system}"', zh: '未知系统“{system}”' },
  DT_CONFIG_YAML_SYNTAX: { status: 400, retryable: false, en: 'YAML syntax error: {reason}', zh: 'YAML 语法错误：{reason}' },

  // --- secrets ---
  DT_SECRET_ENV_MISSING: { status: 400, retryable: false, en: 'Environment variable {name} is not set (needed at {path})', zh: '环境变量 {name} 未设置（{path} 需要）' },
  DT_SECRET_KEY_UNKNOWN: { status: 500, retryable: false, en: 'No master key with id {keyId} is available to decrypt a secret', zh: '缺少用于解密的主密钥 {keyId}' },
  DT_SECRET_DECRYPT: { status: 500, retryable: false, en: 'A secret could not be decrypted: {reason}', zh: '密文无法解密：{reason}' },
  DT_SECRET_KEY_FILE: { status: 500, retryable: false, en: 'Master key file {path} is unusable: {reason}', zh: '主密钥文件 {path} 不可用：{reason}' },
  DT_SECRET_KEY_INVALID: { status: 500, retryable: false, en: 'Master key from {source} is invalid: {reason}', zh: '来自 {source} 的主密钥无效：{reason}' },
  DT_SECRET_NAME: { status: 400, retryable: false, en: 'Invalid secret name "{name}": use 1–200 letters, digits and . _ - /', zh: '密钥名称“{name}”无效：只能使用 1–200 个字母、数字及 . _ - /' },

  // --- webhook trigger ---
  DT_WEBHOOK_SIGNATURE: { status: 401, retryable: false, en: 'Webhook signature is missing or does not match', zh: 'Webhook 签名缺失或不匹配' },
  DT_WEBHOOK_TIMESTAMP: { status: 401, retryable: false, en: 'Webhook timestamp {timestamp} is outside the allowed window of {windowSeconds}s', zh: 'Webhook 时间戳 {timestamp} 超出允许的 {windowSeconds} 秒窗口' },
  DT_WEBHOOK_MALFORMED: { status: 400, retryable: false, en: 'Webhook body is malformed: {reason}', zh: 'Webhook 请求体格式错误：{reason}' },
  DT_WEBHOOK_TOO_LARGE: { status: 413, retryable: false, en: 'Webhook body exceeds {limit} bytes', zh: 'Webhook 请求体超过 {limit} 字节' },
  DT_WEBHOOK_UNKNOWN_FLOW: { status: 404, retryable: false, en: 'No webhook flow "{flow}"', zh: '不存在 Webhook 流程“{flow}”' },
  DT_WEBHOOK_MISSING_FIELD: { status: 400, retryable: false, en: 'Webhook body has no value at "{path}" ({what})', zh: 'Webhook 请求体在“{path}”处缺少值（{what}）' },
  DT_WEBHOOK_BACKPRESSURE: { status: 503, retryable: true, en: 'The hub is over its backlog limit for flow {flow}; retry later', zh: '流程 {flow} 积压超过上限，请稍后重试' },

  // --- API ---
  DT_API_UNAUTHENTICATED: { status: 401, retryable: false, en: 'A valid API token is required', zh: '需要有效的 API 令牌' },
  DT_API_FORBIDDEN: { status: 403, retryable: false, en: 'Role {role} may not {action}', zh: '角色 {role} 无权执行 {action}' },
  DT_API_NOT_FOUND: { status: 404, retryable: false, en: '{what} not found', zh: '未找到{what}' },
  DT_API_BAD_REQUEST: { status: 400, retryable: false, en: 'Bad request: {reason}', zh: '请求错误：{reason}' },
  DT_API_CONFLICT: { status: 409, retryable: false, en: 'Conflict: {reason}', zh: '冲突：{reason}' },
  DT_API_BAD_CURSOR: { status: 400, retryable: false, en: 'The list cursor is invalid', zh: '分页游标无效' },

  // --- mapping and steps ---
  DT_MAP_REQUIRED: { status: 422, retryable: false, en: 'Field {field} is required but {path} is empty', zh: '字段 {field} 必填，但 {path} 为空' },
  DT_MAP_RULE: { status: 400, retryable: false, en: 'Field {field}: invalid mapping rule: {reason}', zh: '字段 {field}：映射规则无效：{reason}' },
  DT_MAP_CAST: { status: 422, retryable: false, en: 'Field {field}: cannot convert {value} to {type}', zh: '字段 {field}：无法将 {value} 转换为 {type}' },
  DT_MAP_DATE: { status: 422, retryable: false, en: 'Field {field}: "{value}" does not match date format {format}', zh: '字段 {field}：“{value}”不符合日期格式 {format}' },
  DT_MAP_DATE_FORMAT: { status: 400, retryable: false, en: 'Field {field}: unusable date settings: {reason}', zh: '字段 {field}：日期设置无效：{reason}' },
  DT_MAP_UNMAPPED_VALUE: { status: 422, retryable: false, en: 'Field {field}: value "{value}" has no entry in the value map', zh: '字段 {field}：值“{value}”不在值映射表中' },
  DT_MAP_EXPRESSION: { status: 422, retryable: false, en: 'Field {field}: expression failed at position {position}: {reason}', zh: '字段 {field}：表达式在位置 {position} 出错：{reason}' },
  DT_MAP_EXPRESSION_SYNTAX: { status: 400, retryable: false, en: 'Field {field}: expression syntax error at position {position}: {reason}', zh: '字段 {field}：表达式语法错误（位置 {position}）：{reason}' },
  DT_MAP_EXPRESSION_TIMEOUT: { status: 422, retryable: false, en: 'Field {field}: expression exceeded {limitMs} ms or depth {maxDepth}', zh: '字段 {field}：表达式超过 {limitMs} 毫秒或深度 {maxDepth}' },
  DT_MAP_UNIT: { status: 400, retryable: false, en: 'Field {field}: cannot convert unit {from} to {to}', zh: '字段 {field}：无法把单位 {from} 换算为 {to}' },
  DT_VALIDATE_FAILED: { status: 422, retryable: false, en: 'Validation failed at {path}: {reason}', zh: '校验失败（{path}）：{reason}' },
  DT_ROUTE_NO_MATCH: { status: 422, retryable: false, en: 'No route matched and the step has no default', zh: '没有匹配的路由，且未设置默认路由' },
  DT_LOOKUP_NOT_FOUND: { status: 422, retryable: true, en: 'Lookup of {what} "{key}" in {system} found nothing', zh: '在 {system} 中查找 {what}“{key}”无结果' },
  DT_STEP_UNKNOWN: { status: 400, retryable: false, en: 'Unknown step type "{type}"', zh: '未知步骤类型“{type}”' },

  // --- targets and sources ---
  DT_TARGET_UNAVAILABLE: { status: 502, retryable: true, en: 'Target {system} is unavailable: {reason}', zh: '目标系统 {system} 不可用：{reason}' },
  DT_TARGET_TIMEOUT: { status: 504, retryable: true, en: 'Target {system} did not answer within {timeoutMs} ms', zh: '目标系统 {system} 在 {timeoutMs} 毫秒内未响应' },
  DT_TARGET_RATE_LIMITED: { status: 429, retryable: true, en: 'Target {system} is rate limiting; retry after {retryAfterMs} ms', zh: '目标系统 {system} 限流，{retryAfterMs} 毫秒后重试' },
  DT_TARGET_REJECTED: { status: 422, retryable: false, en: 'Target {system} rejected the record: {reason}', zh: '目标系统 {system} 拒绝了该记录：{reason}' },
  DT_TARGET_AUTH: { status: 502, retryable: false, en: 'Target {system} refused the credentials: {reason}', zh: '目标系统 {system} 拒绝了凭据：{reason}' },
  DT_TARGET_SERVER_ERROR: { status: 502, retryable: true, en: 'Target {system} answered {status}: {reason}', zh: '目标系统 {system} 返回 {status}：{reason}' },
  DT_SQL_AUTH: { status: 502, retryable: false, en: 'Database {system} refused the credentials: {reason}', zh: '数据库 {system} 拒绝了凭据：{reason}' },
  DT_SQL_CONFLICT: { status: 503, retryable: true, en: 'Database {system} aborted the transaction (deadlock, lock timeout or busy); retry: {reason}', zh: '数据库 {system} 中止了事务（死锁、锁等待超时或繁忙），请重试：{reason}' },
  DT_SQL_CONNECTION: { status: 502, retryable: true, en: 'Cannot reach database {system}: {reason}', zh: '无法连接数据库 {system}：{reason}' },
  DT_SQL_CONSTRAINT: { status: 422, retryable: false, en: 'Database constraint violated in {table}: {reason}', zh: '表 {table} 违反数据库约束：{reason}' },
  DT_SQL_CURSOR: { status: 400, retryable: false, en: 'The read cursor {cursor} was not written by this SQL source: {reason}', zh: '读取游标 {cursor} 不是此 SQL 数据源生成的：{reason}' },
  DT_SQL_IDENTIFIER: { status: 400, retryable: false, en: 'Invalid SQL identifier "{identifier}"', zh: 'SQL 标识符无效：“{identifier}”' },
  DT_SQL_STATEMENT: { status: 422, retryable: false, en: 'SQL statement on {table} failed: {reason}', zh: '表 {table} 上的 SQL 语句执行失败：{reason}' },
  DT_SOURCE_READ: { status: 502, retryable: true, en: 'Reading from {system} failed: {reason}', zh: '从 {system} 读取失败：{reason}' },

  // --- runtime and store ---
  DT_RUNTIME_MAX_ATTEMPTS: { status: 500, retryable: false, en: 'Gave up after {attempts} attempts: {reason}', zh: '重试 {attempts} 次后放弃：{reason}' },
  DT_RUNTIME_SHUTTING_DOWN: { status: 503, retryable: true, en: 'The hub is shutting down', zh: '数据中枢正在关闭' },
  DT_RUNTIME_INTERNAL: { status: 500, retryable: true, en: 'Internal error: {reason}', zh: '内部错误：{reason}' },
  DT_RUNTIME_UNKNOWN_FLOW: { status: 404, retryable: false, en: 'Flow "{flow}" is not in the active snapshot', zh: '当前快照中不存在流程“{flow}”' },
  DT_STORE_URL: { status: 500, retryable: false, en: 'Unsupported store URL "{url}"', zh: '不支持的存储地址“{url}”' },
  DT_STORE_MIGRATION: { status: 500, retryable: false, en: 'Store migration {version} failed: {reason}', zh: '存储迁移 {version} 失败：{reason}' },
  DT_STORE_UNAVAILABLE: { status: 503, retryable: true, en: 'The store is unavailable: {reason}', zh: '存储不可用：{reason}' },
  DT_DEAD_LETTER_STATE: { status: 409, retryable: false, en: 'Dead letter {id} is {state}, not open', zh: '死信 {id} 状态为 {state}，不是待处理' },

  // --- audit ---
  DT_AUDIT_TAMPERED: { status: 500, retryable: false, en: 'Audit chain broken at entry {seq}: {reason}', zh: '审计链在第 {seq} 条断开：{reason}' },

  // --- CLI ---
  DT_CLI_HUB_UNREACHABLE: { status: 503, retryable: true, en: 'Cannot reach the hub at {url}: {reason}', zh: '无法连接数据中枢 {url}：{reason}' },
  DT_CLI_NO_TOKEN: { status: 401, retryable: false, en: 'Set DATONG_TOKEN (or --token) to a hub API token', zh: '请通过 DATONG_TOKEN（或 --token）提供 API 令牌' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}
