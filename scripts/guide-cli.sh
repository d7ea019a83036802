#!/usr/bin/env bash
# The Cortex guide's console procedure done as a plain AWS CLI script: what people write instead
# of this action. Used by `npm run bench` for comparison. Usage: guide-cli.sh NAME LB_DNS [VPC_LINK_TARGET_ARN]
set -euo pipefail
name=$1 dns=$2 target=${3:-}
api=$(aws apigateway create-rest-api --name "$name" --endpoint-configuration types=REGIONAL --query id --output text)
root=$(aws apigateway get-resources --rest-api-id "$api" --query 'items[?path==`/`].id' --output text)
res=$(aws apigateway create-resource --rest-api-id "$api" --parent-id "$root" --path-part '{proxy+}' --query id --output text)
connection=()
if [ -n "$target" ]; then
  link=$(aws apigateway create-vpc-link --name "$name-link" --target-arns "$target" --query id --output text)
  until [ "$(aws apigateway get-vpc-link --vpc-link-id "$link" --query status --output text)" = AVAILABLE ]; do sleep 5; done
  connection=(--connection-type VPC_LINK --connection-id "$link")
fi
aws apigateway put-method --rest-api-id "$api" --resource-id "$res" --http-method ANY --authorization-type NONE \
  --request-parameters method.request.path.proxy=true >/dev/null
aws apigateway put-integration --rest-api-id "$api" --resource-id "$res" --http-method ANY --type HTTP_PROXY \
  --integration-http-method ANY --uri "http://$dns/{proxy}" "${connection[@]}" \
  --request-parameters integration.request.path.proxy=method.request.path.proxy >/dev/null
# "Enable API Gateway CORS"
aws apigateway put-method --rest-api-id "$api" --resource-id "$res" --http-method OPTIONS --authorization-type NONE >/dev/null
aws apigateway put-method-response --rest-api-id "$api" --resource-id "$res" --http-method OPTIONS --status-code 200 \
  --response-parameters method.response.header.Access-Control-Allow-Headers=false,method.response.header.Access-Control-Allow-Methods=false,method.response.header.Access-Control-Allow-Origin=false >/dev/null
aws apigateway put-integration --rest-api-id "$api" --resource-id "$res" --http-method OPTIONS --type MOCK \
  --request-templates '{"application/json":"{\"statusCode\": 200}"}' >/dev/null
aws apigateway put-integration-response --rest-api-id "$api" --resource-id "$res" --http-method OPTIONS --status-code 200 \
  --response-parameters '{"method.response.header.Access-Control-Allow-Headers":"'"'"'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'"'"'","method.response.header.Access-Control-Allow-Methods":"'"'"'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"'"'","method.response.header.Access-Control-Allow-Origin":"'"'"'*'"'"'"}' >/dev/null
aws apigateway create-deployment --rest-api-id "$api" --stage-name dev >/dev/null
echo "https://$api.execute-api.${AWS_REGION:-us-west-2}.amazonaws.com/dev"
